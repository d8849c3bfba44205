package org.partneraccess.dashboard;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;
import org.partneraccess.CsvOutput;
import org.partneraccess.LifecycleState;
import org.partneraccess.audit.AuditController;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.drill.DrillFigures;
import org.partneraccess.drift.DriftKind;
import org.partneraccess.drift.DriftReconciliation;
import org.partneraccess.inventory.IdentityFilter;
import org.partneraccess.inventory.IdentityInventory;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityNotFoundException;
import org.partneraccess.inventory.IdentityPage;
import org.partneraccess.inventory.IdentityQuery;
import org.partneraccess.inventory.IdentityView;
import org.partneraccess.partnership.PartnershipFilter;
import org.partneraccess.partnership.PartnershipListing;
import org.partneraccess.security.StaffLoginConfiguration;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The dashboard: a picture of the registry and the engine first, then the lists behind it. Pages are rendered on the
 * server and run no script; who may open which page is decided by the dashboard's security chain.
 */
@Controller
class DashboardController {

    static final int PAGE_SIZE = 100;

    private final DashboardQueries queries;
    private final IdentityInventory identities;
    private final PartnershipListing partnerships;
    private final AuditLog audit;
    private final DriftReconciliation drift;
    private final PartnershipPage partnershipPage;
    private final DrillFigures drills;

    DashboardController(DashboardQueries queries, IdentityInventory identities, PartnershipListing partnerships,
                        AuditLog audit, DriftReconciliation drift,
                        PartnershipPage partnershipPage, DrillFigures drills) {
        this.drills = drills;
        this.partnershipPage = partnershipPage;
        this.queries = queries;
        this.identities = identities;
        this.partnerships = partnerships;
        this.audit = audit;
        this.drift = drift;
    }

    @GetMapping("/dashboard")
    String overview(Model model, Authentication user) {
        DashboardQueries.Overview overview = queries.overview(Instant.now());
        model.addAttribute("overview", overview);
        model.addAttribute("colors", java.util.Map.of("human", Charts.HUMAN, "machine", Charts.MACHINE, "expiry",
                Charts.EXPIRY, "review", Charts.REVIEW));
        model.addAttribute("details", StaffLoginConfiguration.mayOpenDetails(user));
        model.addAttribute("identityChart", identityChart(overview));
        model.addAttribute("partnershipChart", partnershipChart(overview));
        model.addAttribute("timeline", timeline(overview));
        Map<DriftKind, Long> openDrift = drift.openReviews();
        model.addAttribute("drift", openDrift);
        model.addAttribute("driftOpen", openDrift.values().stream().mapToLong(Long::longValue).sum());
        model.addAttribute("driftLastRun", drift.lastRunAt().orElse(null));
        model.addAttribute("drill", drills.figure());
        return "dashboard/index";
    }

    @GetMapping("/dashboard/partnerships")
    String partnerships(@RequestParam(required = false) Set<LifecycleState> state,
                        @RequestParam(required = false) String sponsor,
                        @RequestParam(required = false) Instant reviewBefore,
                        @RequestParam(required = false) List<String> sort,
                        @RequestParam(defaultValue = "0") int page, Model model) {
        PartnershipListing.Page found = partnerships.page(new PartnershipFilter(state, sponsor, null, reviewBefore),
                sort, page, PAGE_SIZE);
        model.addAttribute("found", found);
        model.addAttribute("filter", describe(state, sponsor, reviewBefore));
        model.addAttribute("api", "/api/partnerships" + query());
        paging(model, found.page(), found.size(), found.total());
        return "dashboard/partnerships";
    }

    @GetMapping("/dashboard/partnerships/{key}")
    String partnership(@PathVariable String key, Model model, Authentication user) {
        return partnershipPage.fill(key, model, user);
    }

    @GetMapping("/dashboard/identities")
    String identities(@RequestParam(required = false) Set<LifecycleState> state,
                      @RequestParam(required = false) IdentityKind kind,
                      @RequestParam(required = false) String partnership,
                      @RequestParam(required = false) String owner,
                      @RequestParam(required = false) Instant expiringBefore,
                      @RequestParam(required = false) Instant reviewBefore,
                      @RequestParam(required = false) List<String> sort,
                      @RequestParam(defaultValue = "0") int page, Model model) {
        IdentityFilter filter = new IdentityFilter(state, kind, partnership, owner, expiringBefore, reviewBefore);
        IdentityPage found = identities.page(IdentityQuery.of(filter, sort), page, PAGE_SIZE);
        model.addAttribute("found", found);
        model.addAttribute("filter", describe(filter));
        model.addAttribute("csv", "/dashboard/identities.csv" + query());
        model.addAttribute("api", "/api/identities" + query());
        paging(model, found.page(), found.size(), found.total());
        return "dashboard/identities";
    }

    /** The same list as a CSV download, every match; the session is the credential here, not a bearer token. */
    @GetMapping("/dashboard/identities.csv")
    void identitiesCsv(@RequestParam(required = false) Set<LifecycleState> state,
                       @RequestParam(required = false) IdentityKind kind,
                       @RequestParam(required = false) String partnership,
                       @RequestParam(required = false) String owner,
                       @RequestParam(required = false) Instant expiringBefore,
                       @RequestParam(required = false) Instant reviewBefore,
                       @RequestParam(required = false) List<String> sort,
                       HttpServletResponse response) throws IOException {
        IdentityQuery query = IdentityQuery.of(new IdentityFilter(state, kind, partnership, owner, expiringBefore,
                reviewBefore), sort);
        CsvOutput.prepare(response, "identities.csv");
        identities.exportCsv(query, response.getOutputStream());
    }

    @GetMapping("/dashboard/identities/{id}/evidence")
    ModelAndView evidence(@PathVariable String id, HttpServletResponse response) {
        IdentityView identity = identities.find(id).orElseThrow(() -> new IdentityNotFoundException(id));
        return AuditController.evidenceView(audit.evidenceOf(id), new java.util.LinkedHashMap<>(
                DashboardQueries.describe(identity)), response);
    }

    // ---- pictures ----

    private static Charts.HorizontalChart identityChart(DashboardQueries.Overview overview) {
        List<Charts.RowData> rows = new ArrayList<>();
        for (DashboardQueries.StateCount count : overview.identities()) {
            rows.add(new Charts.RowData(count.state().name(), List.of(
                    new Charts.SegmentData(count.human(), Charts.HUMAN, count.human() + " people " + count.state(),
                            "/dashboard/identities?state=" + count.state() + "&kind=HUMAN"),
                    new Charts.SegmentData(count.machine(), Charts.MACHINE, count.machine() + " machines "
                            + count.state(), "/dashboard/identities?state=" + count.state() + "&kind=MACHINE"))));
        }
        return Charts.horizontal(rows);
    }

    private static Charts.HorizontalChart partnershipChart(DashboardQueries.Overview overview) {
        List<Charts.RowData> rows = new ArrayList<>();
        overview.partnerships().forEach((state, count) -> rows.add(new Charts.RowData(state.name(), List.of(
                new Charts.SegmentData(count, Charts.PARTNERSHIP, count + " partnerships " + state,
                        "/dashboard/partnerships?state=" + state)))));
        return Charts.horizontal(rows);
    }

    private static Charts.ColumnChart timeline(DashboardQueries.Overview overview) {
        List<String> labels = new ArrayList<>();
        long[][] values = new long[overview.weeks().size()][];
        for (int i = 0; i < overview.weeks().size(); i++) {
            DashboardQueries.Week week = overview.weeks().get(i);
            labels.add(DashboardQueries.weekLabel(week.start()));
            values[i] = new long[] {week.expiries(), week.reviews()};
        }
        return Charts.columns(labels, values, List.of(Charts.EXPIRY, Charts.REVIEW),
                List.of("Access ending", "Reviews due"));
    }

    // ---- lists ----

    private static void paging(Model model, int page, int size, long total) {
        model.addAttribute("previous", page > 0 ? pageUri(page - 1) : null);
        model.addAttribute("next", (long) (page + 1) * size < total ? pageUri(page + 1) : null);
    }

    private static String pageUri(int page) {
        return ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("page", page).build()
                .toUriString();
    }

    /** The current query string, for the same list in another form (CSV, API). */
    private static String query() {
        String query = ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("page").build().getQuery();
        return query == null || query.isEmpty() ? "" : "?" + query;
    }

    private static String describe(IdentityFilter filter) {
        List<String> parts = new ArrayList<>();
        if (!filter.states().isEmpty()) {
            parts.add("state " + filter.states().stream().sorted().map(Enum::name).toList());
        }
        if (filter.kind() != null) {
            parts.add("kind " + filter.kind());
        }
        if (filter.partnership() != null) {
            parts.add("partnership " + filter.partnership());
        }
        if (filter.owner() != null) {
            parts.add("owner " + filter.owner());
        }
        if (filter.expiringBefore() != null) {
            parts.add("ending before " + filter.expiringBefore());
        }
        if (filter.reviewBefore() != null) {
            parts.add("review due before " + filter.reviewBefore());
        }
        return parts.isEmpty() ? "all identities" : String.join(", ", parts);
    }

    private static String describe(Set<LifecycleState> state, String sponsor, Instant reviewBefore) {
        List<String> parts = new ArrayList<>();
        if (state != null && !state.isEmpty()) {
            parts.add("state " + state.stream().sorted().map(Enum::name).toList());
        }
        if (sponsor != null) {
            parts.add("sponsor " + sponsor);
        }
        if (reviewBefore != null) {
            parts.add("review due before " + reviewBefore);
        }
        return parts.isEmpty() ? "all partnerships" : String.join(", ", parts);
    }
}
