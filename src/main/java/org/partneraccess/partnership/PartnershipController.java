package org.partneraccess.partnership;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import org.partneraccess.CsvOutput;
import org.partneraccess.LifecycleState;
import org.partneraccess.Variables;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping("/api/partnerships")
public class PartnershipController {

    /** The response header with the number of matches in all pages. */
    public static final String TOTAL_COUNT = "X-Total-Count";

    private final PartnershipService partnerships;
    private final PartnershipListing listing;
    private final PartnershipProcesses processes;

    PartnershipController(PartnershipService partnerships, PartnershipListing listing, PartnershipProcesses processes) {
        this.partnerships = partnerships;
        this.listing = listing;
        this.processes = processes;
    }

    /**
     * A partnership as the registry holds it: who sponsors and owns it, why it exists (purpose), who approved it, when
     * it ends and is next reviewed, and when any of its identities was last used (empty when never).
     */
    public record PartnershipView(String key, String legalName, LifecycleState state, String stateReason,
                                  String sponsor, String businessOwner, String technicalOwner, String purpose,
                                  Set<String> dataClasses, Set<String> environments, Set<String> clientScopes,
                                  LocalDate endDate, String riskTier, String requestedBy, String approvedBy,
                                  Instant approvedAt, Instant createdAt, Instant nextReviewAt, Instant lastUsedAt,
                                  IncidentVerification lastIncidentVerification) {

        /** Column names of the CSV export, in the order of {@link #csvRow()}. */
        public static final List<String> CSV_HEADER = List.of("key", "legalName", "state", "stateReason", "sponsor",
                "businessOwner", "technicalOwner", "purpose", "dataClasses", "environments", "clientScopes", "endDate",
                "riskTier", "requestedBy", "approvedBy", "approvedAt", "createdAt", "nextReviewAt", "lastUsedAt");

        static PartnershipView of(Partnership p, Instant lastUsedAt) {
            return of(p, lastUsedAt, null);
        }

        static PartnershipView of(Partnership p, Instant lastUsedAt, IncidentVerification verification) {
            return new PartnershipView(p.getKey(), p.getLegalName(), p.getState(), p.getStateReason(), p.getSponsor(),
                    p.getBusinessOwner(), p.getTechnicalOwner(), p.getPurpose(), p.getDataClasses(),
                    p.getEnvironments(), p.getClientScopes(), p.getEndDate(), p.getRiskTier(), p.getRequestedBy(),
                    p.getApprovedBy(), p.getApprovedAt(), p.getCreatedAt(), p.getNextReviewAt(), lastUsedAt,
                    verification);
        }

        public Object[] csvRow() {
            return new Object[] {key, legalName, state, stateReason, sponsor, businessOwner, technicalOwner, purpose,
                    dataClasses, environments, clientScopes, endDate, riskTier, requestedBy, approvedBy, approvedAt,
                    createdAt, nextReviewAt, lastUsedAt};
        }
    }

    /** What the last incident's verification found in Keycloak, with its timings. */
    public record IncidentVerification(Instant verifiedAt, String result) {
    }


    /**
     * The registry, filtered and ordered: a JSON array (as always), one page of it; {@code X-Total-Count} says how many
     * match in all and {@code Link} points to the next and previous pages. With Accept: text/csv every match as CSV.
     */
    @GetMapping
    @Operation(summary = "The partnership registry",
            description = "Filters combine with and; state may be repeated (any of them). A JSON array of one page "
                    + "(default size " + PartnershipListing.MAX_PAGE_SIZE + ", the most there is); the X-Total-Count "
                    + "header holds the number of matches, Link the next and previous pages. With Accept: text/csv "
                    + "every match in the same order, without paging.",
            responses = @ApiResponse(responseCode = "200", description = "A page, or the CSV export", content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            array = @ArraySchema(schema = @Schema(implementation = PartnershipView.class))),
                    @Content(mediaType = CsvOutput.TEXT_CSV_VALUE, schema = @Schema(type = "string"))}))
    public ResponseEntity<List<PartnershipView>> list(
            @RequestParam(required = false) Set<LifecycleState> state,
            @RequestParam(required = false) String sponsor,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate expiringBefore,
            @RequestParam(required = false) Instant reviewBefore,
            @RequestParam(required = false) @Parameter(description = "Property, optionally followed by asc or desc "
                    + "(sort=endDate,desc) or prefixed by - (sort=-endDate); repeatable. Default: key.") List<String> sort,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "" + PartnershipListing.MAX_PAGE_SIZE) int size) {
        PartnershipListing.Page found = listing.page(new PartnershipFilter(state, sponsor, expiringBefore, reviewBefore),
                sort, page, size);
        HttpHeaders headers = new HttpHeaders();
        headers.set(TOTAL_COUNT, String.valueOf(found.total()));
        List<String> links = new java.util.ArrayList<>();
        if ((long) (found.page() + 1) * found.size() < found.total()) {
            links.add(pageLink(found.page() + 1, found.size(), "next"));
        }
        if (found.page() > 0) {
            links.add(pageLink(found.page() - 1, found.size(), "prev"));
        }
        if (!links.isEmpty()) {
            headers.set(HttpHeaders.LINK, String.join(", ", links));
        }
        return ResponseEntity.ok().headers(headers).body(found.items());
    }

    @GetMapping(produces = CsvOutput.TEXT_CSV_VALUE)
    @Operation(hidden = true)
    public void export(@RequestParam(required = false) Set<LifecycleState> state,
                       @RequestParam(required = false) String sponsor,
                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate expiringBefore,
                       @RequestParam(required = false) Instant reviewBefore,
                       @RequestParam(required = false) List<String> sort,
                       HttpServletResponse response) throws IOException {
        PartnershipFilter filter = new PartnershipFilter(state, sponsor, expiringBefore, reviewBefore);
        // parse first: a bad sort is a 400, not a broken download
        listing.page(filter, sort, 0, 1);
        CsvOutput.prepare(response, "partnerships.csv");
        listing.exportCsv(filter, sort, response.getOutputStream());
    }

    /** The current request with another page; the other query parameters stay as they were. */
    private static String pageLink(int page, int size, String relation) {
        String uri = ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("page", page)
                .replaceQueryParam("size", size).build().toUriString();
        return "<" + uri + ">; rel=\"" + relation + "\"";
    }

    @GetMapping("/{key}")
    public PartnershipView get(@PathVariable String key) {
        return partnerships.view(key);
    }

    /** Validates, then starts the partnership process; the same checks run again inside the start transaction. */
    @PostMapping
    @PreAuthorize("hasAuthority('GROUP_requesters')")
    public ResponseEntity<PartnershipView> request(@RequestBody PartnershipRequest request, Authentication caller) {
        partnerships.checkRequest(request, caller.getName());
        Map<String, Object> variables = new java.util.HashMap<>();
        variables.put(Variables.REQUESTER, caller.getName());
        variables.put(Variables.PARTNERSHIP_KEY, request.partnershipKey());
        variables.put(PartnershipVariables.LEGAL_NAME, request.legalName());
        variables.put(Variables.SPONSOR, request.sponsor());
        variables.put(PartnershipVariables.BUSINESS_OWNER, request.businessOwner());
        variables.put(PartnershipVariables.TECHNICAL_OWNER, request.technicalOwner());
        variables.put(Variables.PURPOSE, request.purpose());
        variables.put(Variables.DATA_CLASSES, String.join(",", request.dataClasses()));
        variables.put(PartnershipVariables.ENVIRONMENTS, String.join(",", request.environments()));
        variables.put(Variables.CLIENT_SCOPES, String.join(",", request.clientScopes()));
        variables.put(Variables.END_DATE, request.endDate().toString());
        variables.put(PartnershipVariables.CONTACT_EMAIL, request.contactEmail());
        variables.put(PartnershipVariables.CONTACT_FIRST_NAME, request.contactFirstName());
        variables.put(PartnershipVariables.CONTACT_LAST_NAME, request.contactLastName());
        processes.start(request.partnershipKey(), variables, caller);
        return ResponseEntity.created(URI.create("/api/partnerships/" + request.partnershipKey()))
                .body(partnerships.view(request.partnershipKey()));
    }
}
