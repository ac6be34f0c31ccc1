package unetq.hw.block;

import static unetq.verilog.Expr.ref;

import java.util.LinkedHashMap;
import java.util.Map;
import unetq.verilog.Expr;

/**
 * Port connections of block instances under the stream convention: {@code clk}, {@code rst}, then
 * for each stream port P the nets {@code <stream>_valid}, {@code _ready}, {@code _data}.
 */
public final class StreamPorts {
    private final Map<String, Expr> ports = new LinkedHashMap<>();

    private StreamPorts() {
        ports.put("clk", ref("clk"));
        ports.put("rst", ref("rst"));
    }

    /** A connection map starting with clk and rst. */
    public static StreamPorts clocked() {
        return new StreamPorts();
    }

    /** Connects port {@code port}_valid/_ready/_data to the nets of {@code stream}. */
    public StreamPorts stream(String port, String stream) {
        ports.put(port + "_valid", ref(stream + "_valid"));
        ports.put(port + "_ready", ref(stream + "_ready"));
        ports.put(port + "_data", ref(stream + "_data"));
        return this;
    }

    /** Connects any other port. */
    public StreamPorts port(String port, Expr net) {
        ports.put(port, net);
        return this;
    }

    public Map<String, Expr> map() {
        return ports;
    }
}
