package io.dossier.core.content;

/** What a blob write produced: its id, SHA-256 (lowercase hex), size, and the first bytes for sniffing. */
public record StoredBlob(String id, String sha256, long size, byte[] head) {
}
