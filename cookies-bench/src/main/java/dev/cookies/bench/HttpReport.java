package dev.cookies.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Turns what {@code run-http.sh} recorded into the Markdown tables of section 2 of
 * {@code docs/benchmarks.md}. All statistics are computed here, from the raw figures of every run,
 * so that the script only runs things and this class only counts.
 *
 * <pre>
 * java -cp benchmarks.jar dev.cookies.bench.HttpReport DIR BASELINE "A/B C/D ..."
 * </pre>
 *
 * <p>It reads, from {@code DIR}, tab-separated files the script wrote:
 * <ul>
 *   <li>{@code http-routes.tsv}: {@code key, phase (main|contended), description};</li>
 *   <li>{@code http-warmup.tsv}: {@code key, seconds, rounds, settled (yes|no), req/s of each
 *       warm-up round (comma-separated)};</li>
 *   <li>{@code http-rounds.tsv}: {@code phase, round, key, req/s, p50 ms, p99 ms, responses, non-2xx,
 *       errors, load average}, one line per measured {@code wrk} run;</li>
 *   <li>{@code http-commands.tsv}: {@code key, command, calls}, Redis's {@code INFO commandstats} after
 *       each measured run of a Redis route (reset before it);</li>
 *   <li>{@code http-contended.tsv}: {@code key, final count, 200s answered by the server, 200s received
 *       by wrk}.</li>
 * </ul>
 *
 * <p>Each ratio is paired: computed within one round, between two routes measured minutes apart at
 * most, and then summarised over the rounds (median, and the range of the per-round ratios).
 */
public final class HttpReport {

    private record Run(String phase, int round, String key, double rps, double p50, double p99,
            long responses, long non2xx, long errors, double load) {
    }

    private final Map<String, String> descriptions = new LinkedHashMap<>();
    private final Map<String, String> phases = new LinkedHashMap<>();
    private final Map<String, String[]> warmups = new LinkedHashMap<>();
    private final List<Run> runs = new ArrayList<>();
    private final Map<String, Map<String, Long>> commands = new LinkedHashMap<>();
    private final Map<String, long[]> contended = new LinkedHashMap<>();

    private HttpReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: HttpReport DIR BASELINE \"A/B C/D ...\"");
            System.exit(2);
        }
        HttpReport report = new HttpReport();
        report.read(Path.of(args[0]));
        StringBuilder out = new StringBuilder();
        report.mainTable(out, args[1]);
        report.pairTable(out, args[2].isBlank() ? List.of() : Arrays.asList(args[2].trim().split("\\s+")));
        report.commandTable(out);
        report.contendedTable(out);
        report.warmupTable(out);
        System.out.print(out);
    }

    private void read(Path dir) throws IOException {
        for (String[] f : tsv(dir.resolve("http-routes.tsv"))) {
            phases.put(f[0], f[1]);
            descriptions.put(f[0], f[2]);
        }
        for (String[] f : tsv(dir.resolve("http-warmup.tsv"))) {
            warmups.put(f[0], f);
        }
        for (String[] f : tsv(dir.resolve("http-rounds.tsv"))) {
            runs.add(new Run(f[0], Integer.parseInt(f[1]), f[2], Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]),
                    Double.parseDouble(f[9])));
        }
        for (String[] f : tsv(dir.resolve("http-commands.tsv"))) {
            commands.computeIfAbsent(f[0], k -> new TreeMap<>()).merge(f[1], Long.parseLong(f[2]), Long::sum);
        }
        for (String[] f : tsv(dir.resolve("http-contended.tsv"))) {
            contended.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
        }
    }

    private static List<String[]> tsv(Path file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    rows.add(line.split("\t", -1));
                }
            }
        }
        return rows;
    }

    private List<Run> runsOf(String key) {
        return runs.stream().filter(r -> r.key().equals(key)).toList();
    }

    private List<String> keys(String phase) {
        return phases.entrySet().stream().filter(e -> e.getValue().equals(phase) && !runsOf(e.getKey()).isEmpty())
                .map(Map.Entry::getKey).toList();
    }

    private void mainTable(StringBuilder out, String baseline) {
        List<String> keys = keys("main");
        if (keys.isEmpty()) {
            return;
        }
        out.append(loadLine("main")).append("\n\n");
        out.append("| route | req/s (median) | req/s min-max | p99 ms (median) | p99 min-max"
                + " | req/s ÷ ").append(baseline).append(", per round: median (min-max)"
                + " | p99 ÷ ").append(baseline).append(", per round: median (min-max) | warm-up | errors (non-2xx, socket) |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---|---:|\n");
        for (String key : keys) {
            List<Run> own = runsOf(key);
            out.append("| ").append(descriptions.get(key))
                    .append(" | ").append(fmt0(median(own, Run::rps)))
                    .append(" | ").append(range(own, Run::rps, "%.0f"))
                    .append(" | ").append(fmt2(median(own, Run::p99)))
                    .append(" | ").append(range(own, Run::p99, "%.2f"))
                    .append(" | ").append(key.equals(baseline) ? "1.00" : paired(key, baseline, Run::rps))
                    .append(" | ").append(key.equals(baseline) ? "1.00" : paired(key, baseline, Run::p99))
                    .append(" | ").append(warmup(key))
                    .append(" | ").append(own.stream().mapToLong(Run::errors).sum())
                    .append(" |\n");
        }
        out.append('\n');
    }

    private void pairTable(StringBuilder out, List<String> pairs) {
        List<String[]> present = new ArrayList<>();
        for (String pair : pairs) {
            String[] ab = pair.split("/", 2);
            if (ab.length == 2 && !runsOf(ab[0]).isEmpty() && !runsOf(ab[1]).isEmpty()) {
                present.add(ab);
            }
        }
        if (present.isEmpty()) {
            return;
        }
        out.append("Head to head, each ratio computed within a round and summarised over the rounds:\n\n");
        out.append("| A | B | req/s A ÷ B: median (min-max) | p99 A ÷ B: median (min-max) |\n");
        out.append("|---|---|---:|---:|\n");
        for (String[] ab : present) {
            out.append("| ").append(descriptions.get(ab[0])).append(" | ").append(descriptions.get(ab[1]))
                    .append(" | ").append(paired(ab[0], ab[1], Run::rps))
                    .append(" | ").append(paired(ab[0], ab[1], Run::p99)).append(" |\n");
        }
        out.append('\n');
    }

    private void commandTable(StringBuilder out) {
        if (commands.isEmpty()) {
            return;
        }
        out.append("Redis commands per request, from Redis's `INFO commandstats` over the measured runs,"
                + " divided by the responses `wrk` counted (Redis counts a script's `EVALSHA` and every"
                + " command the script runs):\n\n");
        out.append("| route | commands per request | by command |\n");
        out.append("|---|---:|---|\n");
        for (Map.Entry<String, Map<String, Long>> e : commands.entrySet()) {
            long responses = runsOf(e.getKey()).stream().mapToLong(Run::responses).sum();
            if (responses == 0) {
                continue;
            }
            long total = e.getValue().values().stream().mapToLong(Long::longValue).sum();
            StringBuilder by = new StringBuilder();
            e.getValue().entrySet().stream()
                    .filter(c -> c.getValue() * 100 >= responses) // leave out the odd background command
                    .forEach(c -> by.append(by.length() == 0 ? "" : ", ").append(c.getKey().toUpperCase(Locale.ROOT))
                            .append(' ').append(fmt2(c.getValue() / (double) responses)));
            out.append("| ").append(descriptions.get(e.getKey())).append(" | ").append(fmt2(total / (double) responses))
                    .append(" | ").append(by).append(" |\n");
        }
        out.append('\n');
    }

    private void contendedTable(StringBuilder out) {
        List<String> keys = keys("contended");
        if (keys.isEmpty()) {
            return;
        }
        out.append(loadLine("contended")).append("\n\n");
        out.append("| route | req/s (median) | req/s min-max | p99 ms (median) | p99 min-max"
                + " | 200s answered (server) | final count | lost updates | 200s received by wrk | errors (non-2xx, socket) | warm-up |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (String key : keys) {
            List<Run> own = runsOf(key);
            long[] c = contended.getOrDefault(key, new long[] {-1, -1, -1});
            out.append("| ").append(descriptions.get(key))
                    .append(" | ").append(fmt0(median(own, Run::rps)))
                    .append(" | ").append(range(own, Run::rps, "%.0f"))
                    .append(" | ").append(fmt2(median(own, Run::p99)))
                    .append(" | ").append(range(own, Run::p99, "%.2f"))
                    .append(" | ").append(c[1])
                    .append(" | ").append(c[0])
                    .append(" | ").append(c[1] - c[0])
                    .append(" | ").append(c[2])
                    .append(" | ").append(own.stream().mapToLong(Run::errors).sum())
                    .append(" | ").append(warmup(key))
                    .append(" |\n");
        }
        out.append('\n');
    }

    private void warmupTable(StringBuilder out) {
        if (warmups.isEmpty()) {
            return;
        }
        out.append("Warm-up, per route: rounds until two in a row agreed (req/s of each round):\n\n");
        out.append("| route | warm-up | req/s of each warm-up round |\n");
        out.append("|---|---|---|\n");
        for (String[] w : warmups.values()) {
            out.append("| ").append(descriptions.getOrDefault(w[0], w[0])).append(" | ").append(warmup(w[0]))
                    .append(" | ").append(w[4].replace(",", ", ")).append(" |\n");
        }
        out.append('\n');
    }

    private String warmup(String key) {
        String[] w = warmups.get(key);
        if (w == null) {
            return "-";
        }
        String took = w[1] + " s, " + w[2] + " rounds";
        return w[3].equals("yes") ? took : "**not settled** in " + took;
    }

    private String loadLine(String phase) {
        List<Run> own = runs.stream().filter(r -> r.phase().equals(phase)).toList();
        int rounds = own.stream().mapToInt(Run::round).max().orElse(0);
        return String.format(Locale.ROOT, "%d rounds; load average (1 min) after each run: median %.2f, %s",
                rounds, median(own, Run::load), range(own, Run::load, "%.2f"));
    }

    /** A's figure ÷ B's, in each round both ran: median (min-max). */
    private String paired(String a, String b, ToDoubleFunction<Run> figure) {
        Map<Integer, Double> bByRound = new TreeMap<>();
        for (Run r : runsOf(b)) {
            bByRound.put(r.round(), figure.applyAsDouble(r));
        }
        List<Double> ratios = new ArrayList<>();
        for (Run r : runsOf(a)) {
            Double other = bByRound.get(r.round());
            if (other != null && other > 0) {
                ratios.add(figure.applyAsDouble(r) / other);
            }
        }
        if (ratios.isEmpty()) {
            return "-";
        }
        ratios.sort(null);
        return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", median(ratios), ratios.get(0), ratios.get(ratios.size() - 1));
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> figure) {
        List<Double> values = new ArrayList<>();
        runs.forEach(r -> values.add(figure.applyAsDouble(r)));
        values.sort(null);
        return median(values);
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String range(List<Run> runs, ToDoubleFunction<Run> figure, String format) {
        double min = runs.stream().mapToDouble(figure).min().orElse(Double.NaN);
        double max = runs.stream().mapToDouble(figure).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, format + "-" + format, min, max);
    }

    private static String fmt0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
