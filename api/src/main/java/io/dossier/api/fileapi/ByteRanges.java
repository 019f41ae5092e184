package io.dossier.api.fileapi;

import io.dossier.api.http.Downloads;
import io.dossier.core.content.ByteRange;
import io.dossier.core.content.ContentService;
import io.dossier.core.content.StoredFile;
import io.dossier.core.identity.Secrets;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Several ranges in one answer: {@code 206} with a {@code multipart/byteranges} body (RFC 9110 §14.6). */
final class ByteRanges {

    private ByteRanges() {
    }

    static boolean coversEnd(List<ByteRange> ranges, long size) {
        return ranges.stream().map(r -> ByteRange.resolve(r, size)).anyMatch(r -> r.isPresent() && r.get().last() == size - 1);
    }

    static Downloads.Outcome send(Context ctx, ContentService content, StoredFile file, List<ByteRange> ranges) throws IOException {
        var resolved = new ArrayList<ByteRange.Resolved>();
        for (var range : ranges) {
            ByteRange.resolve(range, file.size()).ifPresent(resolved::add);
        }
        if (resolved.isEmpty()) {
            ctx.header("Content-Range", "bytes */" + file.size());
            FileApiErrors.write(ctx, 416, "Range not satisfiable.", null);
            return Downloads.Outcome.NO_BODY;
        }
        var boundary = "dossier-" + Secrets.randomHex(16);
        var type = file.mediaType() == null ? "application/octet-stream" : file.mediaType();
        var heads = new ArrayList<byte[]>();
        long length = 0;
        for (var range : resolved) {
            var head = ("\r\n--" + boundary + "\r\nContent-Type: " + type + "\r\nContent-Range: bytes " + range.offset() + "-" + range.last()
                    + "/" + file.size() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            heads.add(head);
            length += head.length + range.length();
        }
        var tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        length += tail.length;
        ctx.status(206);
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("Content-Disposition", Downloads.contentDisposition("attachment", file.name()));
        ctx.contentType("multipart/byteranges; boundary=" + boundary);
        ctx.res().setContentLengthLong(length);
        try {
            var out = ctx.res().getOutputStream();
            for (int i = 0; i < resolved.size(); i++) {
                out.write(heads.get(i));
                try (var in = content.openRange(file, resolved.get(i))) {
                    in.transferTo(out);
                }
            }
            out.write(tail);
            out.flush();
            return Downloads.Outcome.COMPLETE;
        } catch (IOException cutOff) {
            return Downloads.Outcome.CUT_OFF;
        }
    }
}
