package io.dossier.core;

/** Waiting for the helper threads that writes and downloads hand their buffers to. */
public final class Threads {

    private Threads() {
    }

    /**
     * Waits for {@code thread} to end, even when interrupted meanwhile (the interrupt is kept for the
     * caller): a helper that still reads or writes a buffer or a file must be over before its caller
     * gives them back or closes them.
     */
    public static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
