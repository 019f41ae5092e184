package io.dossier.core;

import java.io.IOException;

/** Waiting for the helper threads that writes and downloads hand their buffers to, and taking over their failures. */
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

    /** Throws, on the caller's thread, what a helper thread working for it failed with; nothing when {@code failure} is null. */
    public static void rethrow(Throwable failure) throws IOException {
        switch (failure) {
            case null -> {
            }
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IOException("a helper thread failed", failure);
        }
    }
}
