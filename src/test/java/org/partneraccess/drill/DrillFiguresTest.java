package org.partneraccess.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The dashboard's p50 and p95 are nearest-rank percentiles of the drills that held. */
class DrillFiguresTest {

    @Test
    void nearestRankOverTheSortedTimes() {
        List<Duration> twenty = IntStream.rangeClosed(1, 20).mapToObj(Duration::ofSeconds).toList();
        assertThat(DrillFigures.percentile(twenty, 50)).isEqualTo(Duration.ofSeconds(10));
        assertThat(DrillFigures.percentile(twenty, 95)).isEqualTo(Duration.ofSeconds(19));
        List<Duration> one = List.of(Duration.ofMillis(1234));
        assertThat(DrillFigures.percentile(one, 50)).isEqualTo(Duration.ofMillis(1234));
        assertThat(DrillFigures.percentile(one, 95)).isEqualTo(Duration.ofMillis(1234));
        assertThat(DrillFigures.percentile(List.of(), 50)).isNull();
    }
}
