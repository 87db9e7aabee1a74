package tapipeline.cluster;

import java.lang.reflect.Method;

import tapipeline.embedded.OwnerWatch;

/**
 * Entry point of a service child JVM started by {@link ServiceProcess}; not meant to be run by hand.
 * Arguments: {@code <service main class> [args...]}. It watches stdin so that the service exits (through
 * its own shutdown hook, as on SIGTERM) when the owner dies in any way, then runs the service's main.
 */
public final class ServiceProcessMain {

    /** Printed when the owner is gone. */
    public static final String OWNER_GONE_MESSAGE = "cluster harness: owner process gone (stdin closed), stopping";

    private ServiceProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ServiceProcessMain <main class> [args...]");
            System.exit(2);
        }
        OwnerWatch.start(System.in, OWNER_GONE_MESSAGE);
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        main.invoke(null, (Object) rest);
    }
}
