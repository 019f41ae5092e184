package io.dossier.core.job;

/**
 * Where a job is. {@code FAILED} means an attempt failed and another is scheduled; {@code DEAD}
 * means no attempt will follow (its deadline passed, or an operator cancelled it) until an operator
 * retries it.
 */
public enum JobState {
    QUEUED, RUNNING, DONE, FAILED, DEAD;

    /** Whether no node will run the job again by itself. */
    public boolean finished() {
        return this == DONE || this == DEAD;
    }
}
