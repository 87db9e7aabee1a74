package tapipeline.platform.service;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.kafka.FatalErrorHook;

/**
 * The production {@link FatalErrorHook}: a component that cannot go on stops the whole process with
 * exit status {@value #STATUS}, so that its supervisor (Docker's restart policy, systemd, Kubernetes)
 * restarts it, instead of leaving a JVM that answers /health but does no work. The exit runs the
 * shutdown hooks (which close the services cleanly); if they hang for {@link #HALT_AFTER_MS} ms the
 * process is halted.
 *
 * <p>{@link ServiceMain} and the launcher {@link #install() install} it; until then (tests, tools)
 * {@link #current()} only leaves the failed component DOWN in /health.
 */
public final class ProcessExit {

    private static final Logger log = LoggerFactory.getLogger(ProcessExit.class);

    /** EX_SOFTWARE from sysexits.h: an internal error. */
    public static final int STATUS = 70;
    static final long HALT_AFTER_MS = 30_000;

    private static volatile FatalErrorHook installed = FatalErrorHook.NONE;
    private static final AtomicBoolean exiting = new AtomicBoolean();

    private ProcessExit() {
    }

    /** Makes {@link #current()} exit the process. Called once by a process's main. */
    public static void install() {
        installed = ProcessExit::exit;
    }

    /** The hook in force when it is called (late-bound, so components built before {@link #install()} use it too). */
    public static FatalErrorHook current() {
        return (component, error) -> installed.fatal(component, error);
    }

    private static void exit(String component, Throwable error) {
        if (!exiting.compareAndSet(false, true)) {
            return;
        }
        log.error("{} cannot go on ({}); stopping the process with exit status {} so that it is restarted",
                component, error == null ? "no details" : error.getClass().getSimpleName(), STATUS);
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER_MS);
            } catch (InterruptedException e) {
                return;
            }
            log.error("shutdown hooks did not finish within {} ms; halting", HALT_AFTER_MS);
            Runtime.getRuntime().halt(STATUS);
        }, "fatal-halt");
        halt.setDaemon(true);
        halt.start();
        // not on the failing thread: the shutdown hooks close the services, which wait for that thread
        new Thread(() -> System.exit(STATUS), "fatal-exit").start();
    }
}
