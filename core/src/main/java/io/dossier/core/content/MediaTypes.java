package io.dossier.core.content;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The media type of a file from its first bytes, with the file name as a hint where the bytes are
 * a container (ZIP for Office documents) or plain text. A client's declared type is used only when
 * the content says nothing more specific, so a PDF sent as {@code application/octet-stream} is
 * still a PDF, and an executable sent as {@code image/png} is not an image.
 */
public final class MediaTypes {

    public static final String OCTET_STREAM = "application/octet-stream";

    private static final Map<String, String> ZIP_EXTENSIONS = Map.of(
            "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "odt", "application/vnd.oasis.opendocument.text",
            "ods", "application/vnd.oasis.opendocument.spreadsheet");
    private static final Map<String, String> TEXT_EXTENSIONS = Map.of(
            "csv", "text/csv", "txt", "text/plain", "json", "application/json", "xml", "application/xml",
            "html", "text/html", "htm", "text/html", "md", "text/markdown", "rtf", "application/rtf");

    private MediaTypes() {
    }

    public static String detect(byte[] head, String fileName, String declared) {
        var extension = extension(fileName);
        if (starts(head, "%PDF-")) {
            return "application/pdf";
        }
        if (starts(head, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})) {
            return "image/png";
        }
        if (starts(head, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff})) {
            return "image/jpeg";
        }
        if (starts(head, "GIF87a") || starts(head, "GIF89a")) {
            return "image/gif";
        }
        if (head.length >= 12 && starts(head, "RIFF") && new String(head, 8, 4, StandardCharsets.US_ASCII).equals("WEBP")) {
            return "image/webp";
        }
        if (starts(head, "II*\0") || starts(head, "MM\0*")) {
            return "image/tiff";
        }
        if (starts(head, new byte[] {(byte) 0xd0, (byte) 0xcf, 0x11, (byte) 0xe0, (byte) 0xa1, (byte) 0xb1, 0x1a, (byte) 0xe1})) {
            return switch (extension) {
                case "xls" -> "application/vnd.ms-excel";
                case "ppt" -> "application/vnd.ms-powerpoint";
                default -> "application/msword";
            };
        }
        if (starts(head, "PK\3\4")) {
            return ZIP_EXTENSIONS.getOrDefault(extension, "application/zip");
        }
        if (starts(head, new byte[] {0x1f, (byte) 0x8b})) {
            return "application/gzip";
        }
        if (starts(head, "{\\rtf")) {
            return "application/rtf";
        }
        if (starts(head, "MZ") || starts(head, new byte[] {0x7f, 'E', 'L', 'F'})) {
            return OCTET_STREAM;
        }
        if (looksLikeText(head)) {
            var text = new String(head, 0, Math.min(head.length, 256), StandardCharsets.UTF_8).stripLeading().toLowerCase(Locale.ROOT);
            if (text.startsWith("<?xml")) {
                return "application/xml";
            }
            if (text.startsWith("<!doctype html") || text.startsWith("<html")) {
                return "text/html";
            }
            return TEXT_EXTENSIONS.getOrDefault(extension, "text/plain");
        }
        // Content we do not recognise: believe the client only for a type we could not have recognised.
        var claimed = declared == null ? "" : declared.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (claimed.length() <= 255 && claimed.matches("[a-z0-9.+-]+/[a-z0-9.+-]+") && !claimed.startsWith("text/") && !claimed.startsWith("image/")
                && !claimed.contains("pdf") && !claimed.contains("xml") && !claimed.contains("html") && !claimed.contains("zip")
                && !claimed.contains("officedocument") && !claimed.contains("msword") && !claimed.contains("json")) {
            return claimed;
        }
        return OCTET_STREAM;
    }

    private static String extension(String fileName) {
        if (fileName == null) {
            return "";
        }
        var dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean starts(byte[] head, String prefix) {
        return starts(head, prefix.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static boolean starts(byte[] head, byte[] prefix) {
        if (head.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (head[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** UTF-8 (or ASCII) without control characters other than tab, CR, LF, FF. */
    private static boolean looksLikeText(byte[] head) {
        if (head.length == 0) {
            return false;
        }
        var decoder = StandardCharsets.UTF_8.newDecoder();
        var length = head.length;
        // a multi-byte character may be cut at the end of the head
        for (int cut = 0; cut < 4 && length - cut > 0; cut++) {
            try {
                var text = decoder.reset().decode(java.nio.ByteBuffer.wrap(head, 0, length - cut));
                return text.chars().noneMatch(c -> c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f');
            } catch (java.nio.charset.CharacterCodingException e) {
                // try without the last bytes
            }
        }
        return false;
    }
}
