package io.dossier.core.delivery;

/** One received chunk of a resumable publication, stored as its own blob. */
public record UploadChunk(int position, String blobId, long size, String sha256) {
}
