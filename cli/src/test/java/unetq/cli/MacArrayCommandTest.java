package unetq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static unetq.cli.Cli.unetq;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MacArrayCommandTest {

    static String[] macArray(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("generate", "mac-array", "--out", out.toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    static Stream<List<String>> badInputs() {
        return Stream.of(
                List.of("--wbits", "0", "--abits", "6", "--rows", "4", "--cols", "4"),
                List.of("--wbits", "40", "--abits", "6", "--rows", "4", "--cols", "4"),
                List.of("--wbits", "4", "--abits", "9", "--rows", "4", "--cols", "4"),
                List.of("--wbits", "4", "--abits", "6", "--rows", "0", "--cols", "4"),
                List.of("--wbits", "4", "--abits", "6", "--rows", "4", "--cols", "-1"),
                List.of("--wbits", "4", "--abits", "6", "--rows", "four", "--cols", "4"),
                List.of("--weights", "Q0.x", "--abits", "6", "--rows", "4", "--cols", "4"),
                List.of("--wbits", "4", "--weights", "Q0.4", "--abits", "6", "--rows", "4", "--cols", "4"),
                List.of("--abits", "6", "--rows", "4", "--cols", "4"));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputGivesOneLineExitTwoAndWritesNothing(List<String> opts, @TempDir Path tmp) {
        Path out = tmp.resolve("out");
        Cli.Run r = unetq(macArray(out, opts.toArray(String[]::new)));
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("unetq: "), r.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void nonEmptyOutputNeedsForce(@TempDir Path tmp) throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        String[] opts = {"--wbits", "2", "--abits", "4", "--rows", "2", "--cols", "3"};
        Cli.Run r = unetq(macArray(out, opts));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not empty"), r.err());
        assertEquals(List.of(out.resolve("keep.txt")), Files.list(out).toList());
        List<String> forced = new java.util.ArrayList<>(List.of(opts));
        forced.add("--force");
        Cli.Run mine = unetq(macArray(out, forced.toArray(String[]::new)));
        assertEquals(2, mine.code(), "--force replaces only a folder unetq wrote");
        assertTrue(mine.err().contains("was not written by unetq"), mine.err());
        assertTrue(Files.exists(out.resolve("keep.txt")));
        Path ours = tmp.resolve("ours");
        assertEquals(0, unetq(macArray(ours, opts)).code());
        assertEquals(2, unetq(macArray(ours, opts)).code(), "not empty without --force");
        assertEquals(0, unetq(macArray(ours, forced.toArray(String[]::new))).code());
        assertTrue(Files.exists(ours.resolve("mac_array.v")));
    }

    @Test
    void helpShowsExamples() {
        Cli.Run r = unetq("generate", "mac-array", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--wbits 4 --abits 6 --rows 4 --cols 4"), r.out());
        Cli.Run none = unetq();
        assertEquals(2, none.code());
    }
}
