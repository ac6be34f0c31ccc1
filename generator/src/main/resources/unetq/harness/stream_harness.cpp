// unetq stream harness: drives a valid/ready design from stdin and prints what it emits.
//
// stdin : one input beat per line, the fields of harness_config.h's IN_FIELDS as hex, space separated.
// stdout: "o <cycle> <hex fields of OUT_FIELDS>" per output beat, "c <cycle>" every 2^20 cycles (a
//         heartbeat for progress reports), then "done <cycles>".
//         A run with no output for --watchdog cycles prints "liveness ..." and exits 3.
// Random stalls: the input valid drops with probability --in-stall (a beat once offered stays
// offered until taken, as AXI4-Stream requires); out_ready drops with probability --out-stall.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>
#include "verilated.h"
#include "harness_config.h"

namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    std::fprintf(stderr, "harness: bad hex digit '%c'\n", c);
    std::exit(2);
}

// Loads hex text into 32-bit words, least significant word first.
std::vector<uint32_t> hex_words(const std::string& hex, int width) {
    std::vector<uint32_t> words((width + 31) / 32, 0);
    int bit = 0;
    for (auto it = hex.rbegin(); it != hex.rend(); ++it, bit += 4) {
        uint32_t d = static_cast<uint32_t>(hex_digit(*it));
        if (d != 0 && bit >= width) {
            std::fprintf(stderr, "harness: value %s does not fit %d bits\n", hex.c_str(), width);
            std::exit(2);
        }
        if (bit < static_cast<int>(words.size()) * 32) words[bit / 32] |= d << (bit % 32);
    }
    return words;
}

template <typename T>
void set_field(T& port, const std::string& hex, int width) {
    std::vector<uint32_t> w = hex_words(hex, width);
    uint64_t v = w[0];
    if (w.size() > 1) v |= static_cast<uint64_t>(w[1]) << 32;
    port = static_cast<T>(v);
}

template <std::size_t N>
void set_field(VlWide<N>& port, const std::string& hex, int width) {
    std::vector<uint32_t> w = hex_words(hex, width);
    for (std::size_t i = 0; i < N; ++i) port[i] = i < w.size() ? w[i] : 0;
}

std::string hex_of_words(const uint32_t* words, int width) {
    static const char* digits = "0123456789abcdef";
    int n = (width + 3) / 4;
    std::string s(n, '0');
    for (int k = 0; k < n; ++k) {
        int bit = 4 * k;
        uint32_t d = (words[bit / 32] >> (bit % 32)) & 0xf;
        s[n - 1 - k] = digits[d];
    }
    return s;
}

template <typename T>
std::string get_field(const T& port, int width) {
    uint64_t v = static_cast<uint64_t>(port);
    uint32_t w[2] = {static_cast<uint32_t>(v), static_cast<uint32_t>(v >> 32)};
    return hex_of_words(w, width);
}

template <std::size_t N>
std::string get_field(const VlWide<N>& port, int width) {
    uint32_t w[N];
    for (std::size_t i = 0; i < N; ++i) w[i] = port[i];
    return hex_of_words(w, width);
}

double arg_double(int argc, char** argv, const char* name, double dflt) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0) return std::atof(argv[i + 1]);
    return dflt;
}

}  // namespace

int main(int argc, char** argv) {
    const uint64_t seed = static_cast<uint64_t>(arg_double(argc, argv, "--seed", 1));
    const double in_stall = arg_double(argc, argv, "--in-stall", 0);
    const double out_stall = arg_double(argc, argv, "--out-stall", 0);
    const uint64_t watchdog = static_cast<uint64_t>(arg_double(argc, argv, "--watchdog", 100000));
    const uint64_t expect = static_cast<uint64_t>(arg_double(argc, argv, "--expect", 0));

    std::vector<std::vector<std::string>> beats;
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line.empty()) continue;
        std::istringstream fields(line);
        std::vector<std::string> tok;
        std::string t;
        while (fields >> t) tok.push_back(t);
        if (tok.size() != IN_FIELD_COUNT) {
            std::fprintf(stderr, "harness: input line %zu has %zu fields, expected %d\n", beats.size() + 1,
                         tok.size(), IN_FIELD_COUNT);
            return 2;
        }
        beats.push_back(tok);
    }

    auto context = std::make_unique<VerilatedContext>();
    context->commandArgs(argc, argv);
    auto top = std::make_unique<DUT_CLASS>(context.get());
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> coin(0.0, 1.0);

    top->clk = 0;
    top->rst = 1;
    top->in_valid = 0;
    top->out_ready = 0;
    for (int i = 0; i < 4; ++i) {
        top->clk = 0; top->eval();
        top->clk = 1; top->eval();
    }
    top->rst = 0;

    std::size_t next = 0;
    uint64_t outputs = 0, cycle = 0, last_output = 0;
    bool offered = false;
    std::string out_line;
    while (outputs < expect) {
        // Drive the inputs for this cycle (between edges), then look at the handshakes.
        if (!offered && next < beats.size() && coin(rng) >= in_stall) {
            offered = true;
            const std::vector<std::string>& b = beats[next];
            int k = 0;
#define SET_IN(port, width) set_field(top->port, b[k++], width);
            IN_FIELDS(SET_IN)
#undef SET_IN
        }
        top->in_valid = offered ? 1 : 0;
        top->out_ready = coin(rng) >= out_stall ? 1 : 0;
        top->clk = 0;
        top->eval();
        const bool in_fire = top->in_valid && top->in_ready;
        const bool out_fire = top->out_valid && top->out_ready;
        if (out_fire) {
            out_line = "o " + std::to_string(cycle);
#define GET_OUT(port, width) out_line += " " + get_field(top->port, width);
            OUT_FIELDS(GET_OUT)
#undef GET_OUT
            std::puts(out_line.c_str());
            ++outputs;
            last_output = cycle;
        }
        top->clk = 1;
        top->eval();
        if (in_fire) {
            offered = false;
            ++next;
        }
        ++cycle;
        if ((cycle & 0xfffff) == 0) {
            std::printf("c %llu\n", static_cast<unsigned long long>(cycle));
            std::fflush(stdout);
        }
        if (cycle - last_output > watchdog) {
            std::printf("liveness: no output for %llu cycles at cycle %llu (%llu of %llu outputs, %zu of %zu inputs taken)\n",
                        static_cast<unsigned long long>(watchdog), static_cast<unsigned long long>(cycle),
                        static_cast<unsigned long long>(outputs), static_cast<unsigned long long>(expect), next,
                        beats.size());
            std::fflush(stdout);
            return 3;
        }
    }
    std::printf("done %llu\n", static_cast<unsigned long long>(cycle));
    top->final();
    return 0;
}
