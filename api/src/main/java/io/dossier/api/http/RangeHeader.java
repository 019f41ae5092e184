package io.dossier.api.http;

import io.dossier.core.content.ByteRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code Range} request header (RFC 9110 §14.2): {@code bytes=a-b}, {@code bytes=a-},
 * {@code bytes=-n}, comma-separated. A header that does not parse is to be ignored (the whole
 * representation is sent), as the RFC says; an absent header is empty too.
 */
public final class RangeHeader {

    private static final int MAX_RANGES = 64;

    private RangeHeader() {
    }

    public static Optional<List<ByteRange>> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        var value = header.strip();
        if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
            return Optional.empty();
        }
        var ranges = new ArrayList<ByteRange>();
        for (var spec : value.substring(6).split(",")) {
            var part = spec.strip();
            var dash = part.indexOf('-');
            if (dash < 0 || ranges.size() >= MAX_RANGES) {
                return Optional.empty();
            }
            try {
                var first = part.substring(0, dash).strip();
                var last = part.substring(dash + 1).strip();
                if (first.isEmpty()) {
                    if (last.isEmpty()) {
                        return Optional.empty();
                    }
                    ranges.add(new ByteRange.Suffix(number(last)));
                } else if (last.isEmpty()) {
                    ranges.add(new ByteRange.From(number(first)));
                } else {
                    var a = number(first);
                    var b = number(last);
                    if (b < a) {
                        return Optional.empty();
                    }
                    ranges.add(new ByteRange.FromTo(a, b));
                }
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return ranges.isEmpty() ? Optional.empty() : Optional.of(ranges);
    }

    private static long number(String digits) {
        if (!digits.chars().allMatch(Character::isDigit) || digits.length() > 18) {
            throw new NumberFormatException(digits);
        }
        return Long.parseLong(digits);
    }
}
