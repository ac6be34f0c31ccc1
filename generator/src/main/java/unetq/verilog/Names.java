package unetq.verilog;

import java.util.Set;

/** Identifier rules: plain Verilog identifiers that are not keywords. */
final class Names {
    private static final Set<String> KEYWORDS = Set.of("always", "and", "assign", "begin", "case", "default",
            "else", "end", "endcase", "endgenerate", "endmodule", "for", "generate", "genvar", "if", "initial",
            "inout", "input", "integer", "localparam", "module", "negedge", "or", "output", "parameter",
            "posedge", "reg", "signed", "wire", "not", "xor", "buf", "table", "function", "task", "time",
            "real", "event", "force", "release", "wait", "fork", "join", "repeat", "while", "forever",
            // SystemVerilog keywords: Verilator and Yosys may read .v files as SystemVerilog
            "dist", "logic", "bit", "byte", "int", "shortint", "longint", "unique", "priority", "final", "type",
            "string", "class", "interface", "package", "import", "export", "const", "var", "void", "return",
            "break", "continue", "do", "enum", "struct", "union", "typedef", "inside", "with", "property",
            "sequence", "assert", "assume", "cover", "expect", "restrict", "bind", "chandle", "context",
            "program", "clocking", "modport", "extends", "virtual", "local", "protected", "static", "new",
            "null", "this", "super", "rand", "randc", "constraint", "solve", "before", "foreach", "first_match",
            "intersect", "throughout", "within", "matches", "tagged", "wildcard", "alias", "checker", "global",
            "let", "soft", "strong", "weak", "until", "implies", "accept_on", "reject_on", "sync_accept_on",
            "sync_reject_on", "eventually", "nexttime", "s_always", "s_eventually", "s_nexttime", "s_until",
            "untyped", "ref", "pure", "extern", "forkjoin", "randcase", "randsequence", "covergroup",
            "coverpoint", "cross", "bins", "binsof", "ignore_bins", "illegal_bins", "iff", "endclass",
            "endfunction", "endtask", "endinterface", "endpackage", "endprogram", "endproperty",
            "endsequence", "endclocking", "endchecker", "endgroup");

    private Names() {
    }

    static String check(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*") || KEYWORDS.contains(name)) {
            throw new IllegalArgumentException("not a usable Verilog identifier: '" + name + "'");
        }
        return name;
    }
}
