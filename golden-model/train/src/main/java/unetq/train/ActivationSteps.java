package unetq.train;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import unetq.golden.UNetGraph;

/**
 * Which convs share a learned activation step, read from the dataflow graph. A concat joins two
 * tensors into one integer input, so its two producers must count in the same unit: their convs
 * share one step. Max-pool and the bilinear upsampler are linear in their codes and keep the step.
 */
final class ActivationSteps {
    /** conv name -> the conv that names its group (and its parameter, NAME.logStep). */
    private final Map<String, String> group = new LinkedHashMap<>();
    /** conv name -> the group whose step scales its input, or null for the image (fixed UQ0.8). */
    private final Map<String, String> input = new LinkedHashMap<>();

    ActivationSteps(UNetGraph graph) {
        Map<String, String> parent = new HashMap<>();
        for (UNetGraph.Node n : graph.nodes()) {
            if (n.kind() == UNetGraph.Kind.CONV && n.conv().role() != unetq.golden.UNetTopology.Role.HEAD) {
                parent.put(n.name(), n.name());
            }
        }
        for (UNetGraph.Node n : graph.nodes()) {
            if (n.kind() == UNetGraph.Kind.CONCAT) {
                String a = find(parent, producer(graph, n.inputs().get(0)));
                String b = find(parent, producer(graph, n.inputs().get(1)));
                parent.put(b, a); // the group takes the name of the upsampled producer
            }
        }
        for (UNetGraph.Node n : graph.nodes()) {
            if (n.kind() != UNetGraph.Kind.CONV) {
                continue;
            }
            if (parent.containsKey(n.name())) {
                group.put(n.name(), find(parent, n.name()));
            }
            String p = producer(graph, n.inputs().get(0));
            input.put(n.name(), p == null ? null : find(parent, p));
        }
    }

    /** The conv whose codes reach {@code node} (through pools, upsamplers and a concat's first input), or null for the image. */
    private static String producer(UNetGraph graph, String node) {
        UNetGraph.Node n = graph.node(node);
        return switch (n.kind()) {
            case INPUT -> null;
            case CONV -> n.name();
            default -> producer(graph, n.inputs().get(0));
        };
    }

    private static String find(Map<String, String> parent, String x) {
        String p = parent.get(x);
        return p.equals(x) ? x : find(parent, p);
    }

    /** The group (its first conv's name) of a non-head conv's output step. */
    String outputGroup(String conv) {
        return group.get(conv);
    }

    /** The group of a conv's input step, or null when it reads the image. */
    String inputGroup(String conv) {
        return input.get(conv);
    }

    /** Every group, once. */
    java.util.List<String> groups() {
        return group.values().stream().distinct().toList();
    }
}
