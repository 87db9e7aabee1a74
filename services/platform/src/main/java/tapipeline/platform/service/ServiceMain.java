package tapipeline.platform.service;

import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.config.Config;
import tapipeline.platform.config.ConfigException;

/**
 * Runs one {@link ServiceModule} as its own process (a container, or one of several instances on a
 * cluster): configuration from the environment, stop on SIGTERM/Ctrl-C, exit status
 * {@value ProcessExit#STATUS} when a component cannot go on ({@link ProcessExit}). Each service's
 * {@code Main} is one line calling this.
 */
public final class ServiceMain {

    private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);

    private ServiceMain() {
    }

    public static void run(ServiceModule module) {
        // a component that cannot go on exits the process (status 70) so that its supervisor restarts it
        ProcessExit.install();
        RunningService service;
        try {
            service = module.start(Config.fromEnvironment());
        } catch (ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            log.error("{} failed to start", module.name(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, module.name() + "-shutdown"));
        service.urls().forEach((label, url) -> log.info("{}: {}", label, url));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
