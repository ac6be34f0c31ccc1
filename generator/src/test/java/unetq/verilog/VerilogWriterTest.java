package unetq.verilog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unetq.verilog.Expr.mux;
import static unetq.verilog.Expr.ref;
import static unetq.verilog.Expr.slit;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerilogWriterTest {

    @Test
    void expressionsGetExplicitParentheses() {
        Expr e = mux(ref("a").and(ref("b").not()), ref("x").plus(ref("y")), slit(6, -16));
        assertEquals("(a && (!b)) ? (x + y) : (-6'sd16)", VerilogWriter.expr(e));
        assertEquals("v[3:0]", VerilogWriter.expr(ref("v").slice(3, 0)));
        assertEquals("v[r * 6 +: 6]", VerilogWriter.expr(ref("v").part(ref("r").times(Expr.num(6)), 6)));
        assertEquals("{{3{v[4]}}, v}", VerilogWriter.expr(Rtl.sext(ref("v"), 5, 8)));
        assertEquals("{{1{s[9]}}, s}", VerilogWriter.expr(Rtl.sext(ref("s"), 10, 11)));
        assertEquals("1'b1", VerilogWriter.expr(Expr.bit(true)));
    }

    @Test
    void literalsMustFit() {
        assertThrows(IllegalArgumentException.class, () -> Expr.lit(3, 8));
        assertThrows(IllegalArgumentException.class, () -> slit(4, 8));
        assertEquals("-4'sd8", VerilogWriter.expr(slit(4, -8)));
    }

    @Test
    void identifiersAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> ref("module"));
        assertThrows(IllegalArgumentException.class, () -> ref("dist")); // SystemVerilog keyword
        assertThrows(IllegalArgumentException.class, () -> ref("9lives"));
        Module.Builder b = Module.builder("m");
        b.input("a", 1, "");
        b.wire("a", 1, "");
        assertThrows(IllegalArgumentException.class, b::build);
    }

    @Test
    void moduleLayout() {
        Module.Builder b = Module.builder("counter").description("A counter.");
        b.input("clk", 1, "clock");
        Expr rst = b.input("rst", 1, "reset");
        Expr q = b.output("q", 4, "count");
        Expr r = b.reg("r", 4, "state");
        b.assign(q, r);
        b.always("clk", List.of(when(rst, List.of(nb(r, Rtl.u(4, 0))), List.of(nb(r, r.plus(Rtl.u(4, 1)))))));
        String text = VerilogWriter.module(b.build());
        assertEquals(String.join("\n",
                "// A counter.",
                "module counter (",
                "    input wire        clk, // clock",
                "    input wire        rst, // reset",
                "    output wire [3:0] q    // count",
                ");",
                "    reg [3:0] r; // state",
                "    assign q = r;",
                "    always @(posedge clk) begin",
                "        if (rst) begin",
                "            r <= 4'd0;",
                "        end else begin",
                "            r <= r + 4'd1;",
                "        end",
                "    end",
                "endmodule",
                ""), text);
    }

    @Test
    void combinationalCaseAlwaysHasDefault() {
        Statement.Case c = new Statement.Case(ref("s"), List.of(new Statement.CaseItem(List.of(Expr.lit(1, 0)),
                List.of(Statement.set(ref("y"), ref("a"))))), List.of(Statement.set(ref("y"), ref("b"))));
        Module.Builder b = Module.builder("m");
        b.input("s", 1, "");
        b.input("a", 1, "");
        b.input("b", 1, "");
        b.output("y", 1, "");
        b.alwaysComb(List.of(c));
        String text = VerilogWriter.module(b.build());
        assertTrue(text.contains("            default: begin\n                y = b;\n            end\n        endcase"), text);
        assertTrue(text.contains("always @* begin"), text);
    }
}
