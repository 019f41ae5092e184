package io.dossier.core.content;

/**
 * Makes a client's file name safe to store and show: the last path segment only (no {@code ..} or
 * directories), no control characters, at most 255 characters. The name is only ever shown; blobs
 * are stored under generated ids.
 */
public final class FileNames {

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
        return cleaned.length() > 255 ? cleaned.substring(0, 255) : cleaned;
    }
}
