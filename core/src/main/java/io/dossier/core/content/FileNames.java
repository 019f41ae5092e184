package io.dossier.core.content;

/**
 * Makes a client's file name safe to store and show: the last path segment only (no {@code ..} or
 * directories), no control characters, at most 255 characters. The name is only ever shown; blobs
 * are stored under generated ids.
 */
public final class FileNames {

    /** The longest name kept, in chars: the name columns are VARCHAR(255), and 255 chars are at most 255 characters. */
    static final int MAX_LENGTH = 255;

    private FileNames() {
    }

    public static String clean(String name) {
        if (name == null) {
            return "file";
        }
        var last = name.replace('\\', '/');
        last = last.substring(last.lastIndexOf('/') + 1);
        var out = new StringBuilder(last.length());
        last.codePoints().filter(c -> !Character.isISOControl(c) && c != 0x7f).forEach(out::appendCodePoint);
        var cleaned = out.toString().strip();
        if (cleaned.isEmpty() || cleaned.equals(".") || cleaned.equals("..")) {
            return "file";
        }
        if (cleaned.length() <= MAX_LENGTH) {
            return cleaned;
        }
        // cut between characters, never inside one written as two chars (an emoji's surrogate pair):
        // half of one is no character at all, and cannot be written as UTF-8
        int end = Character.isHighSurrogate(cleaned.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH;
        return cleaned.substring(0, end);
    }
}
