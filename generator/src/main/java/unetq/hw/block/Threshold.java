package unetq.hw.block;

import static unetq.verilog.Expr.signed;
import static unetq.verilog.Statement.nb;
import static unetq.verilog.Statement.when;

import java.util.List;
import unetq.verilog.Expr;
import unetq.verilog.Module;
import unetq.verilog.Rtl;

/**
 * The output threshold, twin of {@link unetq.golden.Threshold}: {@code mask = logit >= minCode},
 * an integer compare (sigmoid is monotonic). The logit goes along for debugging.
 */
public final class Threshold implements HardwareBlock {
    private final String name;
    private final int logitBits;
    private final long minCode;

    public Threshold(String name, int logitBits, long minCode) {
        if (minCode < -(1L << (logitBits - 1)) || minCode > (1L << (logitBits - 1)) - 1) {
            throw new IllegalArgumentException("threshold code " + minCode + " does not fit " + logitBits + " bits");
        }
        this.name = name;
        this.logitBits = logitBits;
        this.minCode = minCode;
    }

    @Override
    public long logicLuts() {
        return Math.round(0.55 * logitBits);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Module> modules() {
        Module.Builder m = Module.builder(name).description("Threshold: mask = logit >= " + minCode + " (" + logitBits
                + "-bit logit codes).");
        m.input("clk", 1, "clock");
        Expr rst = m.input("rst", 1, "synchronous reset, active high");
        Expr inValid = m.input("in_valid", 1, "");
        Expr inReady = m.output("in_ready", 1, "");
        Expr inData = m.input("in_data", logitBits, "logit code, signed");
        Expr outValid = m.output("out_valid", 1, "");
        Expr outReady = m.input("out_ready", 1, "");
        Expr outMask = m.output("out_mask", 1, "foreground");
        Expr outLogit = m.output("out_logit", logitBits, "the logit, for debugging");
        Expr valid = m.reg("valid_q", 1, "");
        Expr mask = m.reg("mask_q", 1, "");
        Expr logit = m.reg("logit_q", logitBits, "");
        m.assign(inReady, valid.not().or(outReady));
        Expr take = inValid.and(inReady);
        Expr literal = minCode < 0 ? Expr.slit(logitBits, minCode) : Expr.signed(Rtl.u(logitBits, minCode));
        m.always("clk", List.of(
                when(take, nb(mask, signed(inData).ge(literal)), nb(logit, inData)),
                Rtl.validRegister(rst, valid, take, outReady)));
        m.assign(outValid, valid);
        m.assign(outMask, mask);
        m.assign(outLogit, logit);
        return List.of(m.build());
    }
}
