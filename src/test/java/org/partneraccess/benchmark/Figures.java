package org.partneraccess.benchmark;

import java.time.Duration;

import org.HdrHistogram.Histogram;

/** Durations of one measured path; percentiles come from an HdrHistogram (microsecond resolution, 3 digits). */
final class Figures {

    private final String name;
    private final Histogram histogram = new Histogram(Duration.ofMinutes(30).toNanos() / 1000, 3);

    Figures(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    void record(Duration took) {
        histogram.recordValue(Math.max(1, took.toNanos() / 1000));
    }

    void recordNanos(long nanos) {
        record(Duration.ofNanos(nanos));
    }

    long count() {
        return histogram.getTotalCount();
    }

    /** Milliseconds at a percentile, e.g. 50 or 95. */
    double millis(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMillis() {
        return histogram.getMaxValue() / 1000.0;
    }

    double minMillis() {
        return histogram.getMinValue() / 1000.0;
    }

    /** A Markdown table row: name, runs, p50, p95, min, max. */
    String row() {
        return "| " + name + " | " + count() + " | " + ms(millis(50)) + " | " + ms(millis(95)) + " | "
                + ms(minMillis()) + " | " + ms(maxMillis()) + " |";
    }

    /** A Markdown table row with p99 too: name, runs, p50, p95, p99, min, max. */
    String rowWithP99() {
        return "| " + name + " | " + count() + " | " + ms(millis(50)) + " | " + ms(millis(95)) + " | " + ms(millis(99))
                + " | " + ms(minMillis()) + " | " + ms(maxMillis()) + " |";
    }

    static String headerWithP99() {
        return "| path | runs | p50 ms | p95 ms | p99 ms | min ms | max ms |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |";
    }

    static String header() {
        return "| path | runs | p50 ms | p95 ms | min ms | max ms |\n| --- | ---: | ---: | ---: | ---: | ---: |";
    }

    static String ms(double millis) {
        return millis >= 100 ? String.format("%,.0f", millis) : String.format("%.1f", millis);
    }

    static String ratio(double a, double b) {
        return b <= 0 ? "—" : String.format("%.2f", a / b);
    }
}
