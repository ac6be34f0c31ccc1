package unetq.hw.design;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import unetq.golden.QFormat;

/** How manifests describe a format: the paper's name next to what it takes in hardware. */
public final class FormatJson {
    private FormatJson() {
    }

    public static Map<String, Object> of(QFormat f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("paper", f.paperName());
        m.put("paperBits", f.paperBits());
        m.put("encoding", f.isSigned() ? "sign-magnitude in the paper, two's complement in hardware" : "unsigned");
        m.put("hardwareBits", f.hardwareBits());
        m.put("codeRange", List.of(f.minCode(), f.maxCode()));
        m.put("step", "2^-" + f.fracBits());
        return m;
    }
}
