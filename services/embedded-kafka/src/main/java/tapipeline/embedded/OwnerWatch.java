package tapipeline.embedded;

import java.io.IOException;
import java.io.InputStream;

/**
 * Orphan protection for a child JVM: its owner keeps the write end of the child's stdin, and a daemon
 * thread here reads stdin until end-of-file, which the operating system delivers when the owner exits
 * for any reason, {@code kill -9} included. It then prints {@code message} and calls
 * {@link System#exit}, so the child's own shutdown hooks close it cleanly.
 */
public final class OwnerWatch {

    private OwnerWatch() {
    }

    /** Starts the watch on {@code in} (normally {@code System.in}). */
    public static void start(InputStream in, String message) {
        Thread watch = new Thread(() -> {
            byte[] buffer = new byte[256];
            try {
                while (in.read(buffer) >= 0) {
                    // the owner never writes; anything read is ignored
                }
            } catch (IOException e) {
                // a broken pipe means the same as end-of-file: the owner is gone
            }
            System.out.println(message);
            System.out.flush();
            System.exit(0);
        }, "owner-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
