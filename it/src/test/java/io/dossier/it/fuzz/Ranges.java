package io.dossier.it.fuzz;

import java.util.StringJoiner;

/** {@code Range} header values: the forms RFC 9110 allows, and the ones it does not. */
final class Ranges {

    private Ranges() {
    }

    static String range(Gen gen) {
        return switch (gen.between(0, 9)) {
            case 0 -> "bytes=0-" + gen.between(0, 5000);
            case 1 -> "bytes=" + gen.between(0, 20_000) + "-";
            case 2 -> "bytes=-" + gen.between(0, 20_000);
            case 3 -> {
                var ranges = new StringJoiner(",", "bytes=", "");
                for (int i = gen.between(2, 6); i > 0; i--) {
                    ranges.add(gen.between(0, 3000) + "-" + gen.between(0, 3000));
                }
                yield ranges.toString();
            }
            case 4 -> "bytes=" + "0-1,".repeat(gen.between(50, 2000)) + "2-3";
            case 5 -> gen.pick("bytes=9999999999999999999-", "bytes=-9999999999999999999", "bytes=0-9223372036854775807", "bytes=9223372036854775807-9223372036854775807");
            case 6 -> gen.pick("bytes=10-5", "bytes=-0", "bytes=", "bytes=-", "bytes=a-b", "bytes=0-1,,", "bytes=1--2", "bytes=--1", "bytes=0x10-");
            case 7 -> gen.pick("items=0-1", "bytes 0-1", "bytes=0-1;x", " bytes = 0 - 1 ", "BYTES=0-1", "bytes=0-1, 5-", "bytes=\u00e9-");
            case 8 -> "bytes=" + gen.between(0, 100) + "-" + gen.between(0, 100) + "," + gen.between(0, 100) + "-";
            default -> "bytes=" + gen.hostileString();
        };
    }
}
