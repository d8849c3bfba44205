package org.partneraccess.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Collects the sections the benchmarks write and assembles them into one Markdown report: always
 * {@code target/benchmarks/benchmarks.md}, and in a measuring run ({@code -Pbenchmark}) {@code docs/benchmarks.md}.
 * Each section is a file of its own, so the report can be assembled again after any benchmark, in any JVM.
 */
public final class BenchmarkReport {

    /**
     * {@code smoke} (tiny sizes, no figures worth reading) in every verify; {@code standard} in the benchmark run, sized
     * to end within 15 minutes on two cores; {@code full} ({@code -Dbenchmark.mode=full}) with the issues' full sizes.
     */
    static final String MODE = System.getProperty("benchmark.mode", "smoke");
    /** A run whose figures are written to the report in docs: {@code standard} or {@code full}. */
    public static final boolean MEASURING = !"smoke".equals(MODE);
    static final boolean FULL_SIZE = "full".equals(MODE);

    static final Path SECTIONS = Path.of("target", "benchmarks", "sections");
    static final Path TARGET_REPORT = Path.of("target", "benchmarks", "benchmarks.md");
    static final Path DOCS_REPORT = Path.of("docs", "benchmarks.md");
    /** Written by {@code postgres/InventoryAtScaleIT}. */
    static final Path INVENTORY = Path.of("target", "benchmarks", "inventory.md");

    /** Sections in report order; the file name of each is its id. */
    static final List<String> ORDER = List.of("first-token", "exposure", "incident", "footprint", "throughput",
            "expiry-storm", "policy-impact", "settings");

    /** The heading each section of the report starts with, to carry sections over from the report in docs. */
    private static final Map<String, String> HEADINGS = Map.of("## 1.", "first-token", "## 3.", "exposure", "## 2.",
            "incident", "## 7.", "footprint", "## 5.", "throughput", "## 4.", "expiry-storm", "## 8.", "policy-impact",
            "## Settings", "settings");
    /** A section of the report in docs that this run did not measure (again). */
    private static final String EARLIER = ".earlier.md";

    /** Set once this JVM has removed the sections of an earlier run; only the benchmarks' JVM writes sections. */
    private static boolean sectionsCleared;

    private BenchmarkReport() {
    }

    /** The size for this run's mode. */
    static int size(int smoke, int standard, int full) {
        return FULL_SIZE ? full : MEASURING ? standard : smoke;
    }

    static synchronized void section(String id, String markdown) {
        try {
            if (!sectionsCleared) {
                // sections of an earlier run must not pass for this run's figures
                try (Stream<Path> earlier = Files.exists(SECTIONS) ? Files.list(SECTIONS) : Stream.empty()) {
                    for (Path file : earlier.toList()) {
                        Files.delete(file);
                    }
                }
                sectionsCleared = true;
                carryOver();
            }
            Files.createDirectories(SECTIONS);
            Files.writeString(SECTIONS.resolve(id + ".md"), markdown.strip() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assemble();
    }

    /**
     * In a measuring run, the sections of the report in docs are kept beside this run's: a run of some benchmarks only
     * (e.g. {@code -Dit.test=OnboardingThroughputBenchmark}) replaces their sections and leaves the others, marked as
     * carried over.
     */
    private static void carryOver() throws IOException {
        if (!MEASURING || !Files.exists(DOCS_REPORT)) {
            return;
        }
        Files.createDirectories(SECTIONS);
        String id = null;
        StringBuilder text = new StringBuilder();
        for (String line : Files.readAllLines(DOCS_REPORT)) {
            if (line.startsWith("## ")) {
                keepEarlier(id, text);
                id = HEADINGS.entrySet().stream().filter(heading -> line.startsWith(heading.getKey()))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                text.setLength(0);
            }
            text.append(line).append("\n");
        }
        keepEarlier(id, text);
    }

    private static void keepEarlier(String id, StringBuilder text) throws IOException {
        if (id != null) {
            Files.writeString(SECTIONS.resolve(id + EARLIER), text.toString().strip() + "\n");
        }
    }

    /**
     * A horizontal bar chart (SVG) of p50 and p95 for each path, written beside the report; returns the Markdown that
     * shows it. Side by side the bars tell at a glance how far the workflow is from its reference.
     */
    static String chart(String id, String title, List<Figures> paths) {
        int rowHeight = 44;
        int labelWidth = 330;
        int barWidth = 420;
        double max = paths.stream().mapToDouble(path -> path.millis(95)).max().orElse(1);
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
                        + "font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
                        + "<text x=\"8\" y=\"18\" font-weight=\"bold\">%s (ms; dark p50, light p95)</text>\n",
                labelWidth + barWidth + 90, 30 + rowHeight * paths.size(), escape(title)));
        for (int i = 0; i < paths.size(); i++) {
            Figures path = paths.get(i);
            int y = 30 + i * rowHeight;
            double p50 = path.millis(50) / max * barWidth;
            double p95 = path.millis(95) / max * barWidth;
            svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"%d\">%s</text>\n", y + 22,
                    escape(path.name().replace("`", ""))));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"#9ecae1\"/>\n",
                    labelWidth, y + 18, p95));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"#3182bd\"/>\n",
                    labelWidth, y + 4, p50));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>\n", labelWidth + p50 + 4, y + 16,
                    Figures.ms(path.millis(50))));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>\n", labelWidth + p95 + 4, y + 30,
                    Figures.ms(path.millis(95))));
        }
        svg.append("</svg>\n");
        String file = "benchmarks-" + id + ".svg";
        try {
            Files.createDirectories(TARGET_REPORT.getParent());
            Files.writeString(TARGET_REPORT.resolveSibling(file), svg);
            if (MEASURING) {
                Files.writeString(DOCS_REPORT.resolveSibling(file), svg);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "![" + title + "](" + file + ")\n";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Writes the report from every section present; also called after the inventory test has written its figures. */
    public static synchronized void assemble() {
        StringBuilder report = new StringBuilder();
        report.append("# Benchmarks\n\n");
        report.append("Generated by `./mvnw verify -Pbenchmark` (mode `").append(MODE)
                .append("`) on ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(". ");
        report.append("Each figure is measured beside its reference in the same run, interleaved run by run, so that "
                + "a noisy machine still gives a fair ratio. Percentiles come from an HdrHistogram. Benchmarks do not "
                + "fail the build on timing; `./mvnw verify` runs them with tiny sizes only to keep them working.\n\n");
        report.append("**Machine**: ").append(machine()).append("\n\n");
        List<String> missing = ORDER.stream().filter(id -> !Files.exists(SECTIONS.resolve(id + ".md"))
                && !Files.exists(SECTIONS.resolve(id + EARLIER))).toList();
        if (!missing.isEmpty()) {
            report.append("**Not in this report** (the run was stopped or has not reached them yet): ")
                    .append(String.join(", ", missing)).append(".\n\n");
        }
        List<String> carried = ORDER.stream().filter(id -> !Files.exists(SECTIONS.resolve(id + ".md"))
                && Files.exists(SECTIONS.resolve(id + EARLIER))).toList();
        if (!carried.isEmpty()) {
            report.append("**Carried over from the previous report** (not measured in this run; the machine line above "
                    + "is this run's): ").append(String.join(", ", carried)).append(".\n\n");
        }
        for (String id : ORDER) {
            if (id.equals("settings")) {
                report.append(inventory()).append("\n");
            }
            Path file = SECTIONS.resolve(id + ".md");
            Path earlier = SECTIONS.resolve(id + EARLIER);
            if (Files.exists(file)) {
                report.append(read(file)).append("\n");
            } else if (Files.exists(earlier)) {
                report.append(read(earlier)).append("\n");
            }
        }
        try {
            Files.createDirectories(TARGET_REPORT.getParent());
            Files.writeString(TARGET_REPORT, report);
            if (MEASURING) {
                Files.writeString(DOCS_REPORT, report);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    /** Generic facts only: cores, memory, OS, Java, and how loaded the host was. */
    static String machine() {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return String.format(Locale.ROOT, "%d cores, %.0f GiB RAM, %s %s (%s), Java %s (%s); load average when this "
                        + "section was written %.1f (1 min)%s", os.getAvailableProcessors(),
                os.getTotalMemorySize() / 1024.0 / 1024 / 1024, os.getName(), os.getVersion(), os.getArch(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), os.getSystemLoadAverage(),
                os.getSystemLoadAverage() > os.getAvailableProcessors()
                        ? " — **above the core count**: absolute times are pessimistic, the ratios between a path and "
                        + "its reference are the steadier figures (on few cores the benchmark's own application and "
                        + "Keycloak can load the host; the report's notes say whether anything else ran)" : "");
    }

    private static String inventory() {
        StringBuilder section = new StringBuilder("## 6. Inventory at 100,000 identities (PostgreSQL)\n\n");
        section.append("Measured by `postgres/InventoryAtScaleIT` (in the benchmark run and in every `./mvnw verify`); "
                + "method, data and earlier runs in [benchmarks-inventory.md](benchmarks-inventory.md). "
                + "Targets: a filtered page ≤ 50 ms at p95; the CSV export of 100,000 ≤ 5 s.\n\n");
        if (Files.exists(INVENTORY)) {
            section.append("Figures of this run:\n\n").append(read(INVENTORY)).append("\n");
        } else {
            section.append("Not run in this JVM; the latest recorded figures (full `./mvnw verify` of the final tree, "
                    + "2026-11-24): every filtered page p95 15–45 ms, dashboard p95 159 ms, full CSV export of 100,000 "
                    + "rows 2.4 s (first row after 69 ms).\n");
        }
        return section.toString();
    }

    private static String read(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return String.join("\n", lines.toList()) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
