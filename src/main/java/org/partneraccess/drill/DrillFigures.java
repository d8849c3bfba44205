package org.partneraccess.drill;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Service;

/**
 * The measured revocation time of this installation: the median and the 95th percentile of report → verified over the
 * last drills that held (nearest rank), when the last drill ran and how it came out.
 */
@Service
public class DrillFigures {

    /**
     * @param on        whether drills are scheduled (the interval is set)
     * @param drills    how many of the last {@code window} drills there are
     * @param verified  how many of them held, the ones the percentiles are taken over
     * @param failed    how many of them did not hold (their verification failed)
     */
    public record Figure(boolean on, Duration interval, int window, int drills, int verified, int failed,
                         Duration p50, Duration p95, Instant lastAt, RevocationDrill.Outcome lastOutcome) {

        public boolean anyRun() {
            return drills > 0;
        }
    }

    private final DrillProperties properties;
    private final DrillResults results;

    DrillFigures(DrillProperties properties, DrillResults results) {
        this.properties = properties;
        this.results = results;
    }

    public Figure figure() {
        List<RevocationDrill.Result> latest = results.latest(properties.window());
        List<Duration> verified = latest.stream().filter(result -> result.outcome() == RevocationDrill.Outcome.OK)
                .map(RevocationDrill.Result::duration).sorted().toList();
        int failed = (int) latest.stream().filter(result -> result.outcome() == RevocationDrill.Outcome.FAILED).count();
        RevocationDrill.Result last = latest.isEmpty() ? null : latest.get(0);
        return new Figure(properties.on(), properties.interval(), properties.window(), latest.size(), verified.size(),
                failed, percentile(verified, 50), percentile(verified, 95), last == null ? null : last.startedAt(),
                last == null ? null : last.outcome());
    }

    /** Nearest rank: the smallest value at or above which {@code percent} % of the values lie; null without values. */
    static Duration percentile(List<Duration> sorted, int percent) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }
}
