package unetq.hw.design;

import java.math.BigInteger;
import java.util.List;

/** Writes $readmemh files: one word per line, fixed-width hex, two's complement fields packed LSB first. */
public final class MemH {
    private MemH() {
    }

    /** Packs signed fields (field 0 in the low bits), each {@code widths[i]} bits wide. */
    public static BigInteger pack(long[] values, int[] widths) {
        BigInteger word = BigInteger.ZERO;
        int offset = 0;
        for (int i = 0; i < values.length; i++) {
            BigInteger field = BigInteger.valueOf(values[i]).and(BigInteger.ONE.shiftLeft(widths[i]).subtract(BigInteger.ONE));
            word = word.or(field.shiftLeft(offset));
            offset += widths[i];
        }
        return word;
    }

    public static String hex(BigInteger word, int width) {
        String h = word.toString(16);
        int digits = (width + 3) / 4;
        return "0".repeat(Math.max(0, digits - h.length())) + h;
    }

    public static String file(String comment, List<BigInteger> words, int width) {
        StringBuilder sb = new StringBuilder();
        sb.append("// ").append(comment).append('\n');
        for (BigInteger w : words) {
            sb.append(hex(w, width)).append('\n');
        }
        return sb.toString();
    }
}
