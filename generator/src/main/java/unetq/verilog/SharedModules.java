package unetq.verilog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One module for modules that differ only in their name: the first keeps its name, the others are
 * dropped and their instances renamed to it. Modules come submodules first, so two blocks whose
 * submodules merged are compared after the renaming and can merge in turn. A module that loads a
 * memory file never merges with another that loads a different one.
 */
public final class SharedModules {
    private final List<Module> modules;
    private final Map<String, String> canonical;

    private SharedModules(List<Module> modules, Map<String, String> canonical) {
        this.modules = modules;
        this.canonical = canonical;
    }

    /** Shares the modules of {@code in} (submodules first). */
    public static SharedModules of(List<Module> in) {
        Map<String, String> alias = new HashMap<>();
        Map<Body, Module> seen = new HashMap<>();
        Map<String, List<String>> sharers = new LinkedHashMap<>();
        List<Module> kept = new ArrayList<>();
        for (Module m : in) {
            Module renamed = renameInstances(m, alias);
            Body key = new Body(renamed.ports(), renamed.items());
            Module first = seen.get(key);
            if (first != null) {
                alias.put(m.name(), first.name());
                sharers.computeIfAbsent(first.name(), k -> new ArrayList<>()).add(m.name());
            } else {
                seen.put(key, renamed);
                kept.add(renamed);
            }
        }
        List<Module> out = new ArrayList<>(kept.size());
        for (Module m : kept) {
            List<String> also = sharers.get(m.name());
            out.add(also == null ? m : new Module(m.name(), m.description() + "\nAlso serves as: " + String.join(", ", also) + ".",
                    m.ports(), m.items()));
        }
        Map<String, String> canonical = new HashMap<>();
        for (Module m : in) {
            canonical.put(m.name(), alias.getOrDefault(m.name(), m.name()));
        }
        return new SharedModules(List.copyOf(out), Map.copyOf(canonical));
    }

    /** The modules left, in order. */
    public List<Module> modules() {
        return modules;
    }

    /** The module that stands for {@code name} (itself when it was not merged). */
    public String canonical(String name) {
        String c = canonical.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no module " + name);
        }
        return c;
    }

    private record Body(List<Port> ports, List<ModuleItem> items) {
    }

    private static Module renameInstances(Module m, Map<String, String> alias) {
        if (alias.isEmpty()) {
            return m;
        }
        return new Module(m.name(), m.description(), m.ports(), rename(m.items(), alias));
    }

    private static List<ModuleItem> rename(List<ModuleItem> items, Map<String, String> alias) {
        List<ModuleItem> out = new ArrayList<>(items.size());
        for (ModuleItem it : items) {
            if (it instanceof ModuleItem.Instance i && alias.containsKey(i.module())) {
                out.add(new ModuleItem.Instance(alias.get(i.module()), i.name(), i.parameters(), i.connections(), i.comment()));
            } else if (it instanceof ModuleItem.GenerateFor g) {
                out.add(new ModuleItem.GenerateFor(g.genvar(), g.count(), g.label(), rename(g.items(), alias)));
            } else {
                out.add(it);
            }
        }
        return out;
    }
}
