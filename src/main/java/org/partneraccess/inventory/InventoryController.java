package org.partneraccess.inventory;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import org.partneraccess.CsvOutput;
import org.partneraccess.LifecycleState;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Which partner identities exist, why, who owns and approved them, when each expires or is reviewed, and when it was
 * last used: a JSON page, or every matching row as CSV when the caller accepts {@code text/csv}.
 */
@RestController
@PreAuthorize("hasAnyAuthority('GROUP_auditors', 'GROUP_security-officers', 'GROUP_identity-owners', 'GROUP_sponsors')")
public class InventoryController {

    private static final String SORT_HELP = "Property, optionally followed by asc or desc (sort=endDate,desc) or "
            + "prefixed by - for descending (sort=-endDate); repeatable. Default: endDate, then id.";

    private final IdentityInventory inventory;

    InventoryController(IdentityInventory inventory) {
        this.inventory = inventory;
    }

    @GetMapping("/api/identities")
    @Operation(summary = "The inventory of partner identities",
            description = "Filters combine with and; state may be repeated (any of them). JSON pages by default; "
                    + "with Accept: text/csv every matching row in the same order, without paging.",
            responses = @ApiResponse(responseCode = "200", description = "A page, or the CSV export", content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = IdentityPage.class)),
                    @Content(mediaType = CsvOutput.TEXT_CSV_VALUE, schema = @Schema(type = "string"))}))
    public IdentityPage list(@RequestParam(required = false) Set<LifecycleState> state,
                             @RequestParam(required = false) IdentityKind kind,
                             @RequestParam(required = false) String partnership,
                             @RequestParam(required = false) String owner,
                             @RequestParam(required = false) Instant expiringBefore,
                             @RequestParam(required = false) Instant reviewBefore,
                             @RequestParam(required = false) @Parameter(description = SORT_HELP) List<String> sort,
                             @RequestParam(defaultValue = "0") int page,
                             @RequestParam(defaultValue = "50") @Parameter(description = "1 to "
                                     + IdentityInventory.MAX_PAGE_SIZE) int size) {
        IdentityFilter filter = new IdentityFilter(state, kind, partnership, owner, expiringBefore, reviewBefore);
        return inventory.page(IdentityQuery.of(filter, sort), page, size);
    }

    /** The same listing as CSV, streamed: every matching row, in the requested order. */
    @GetMapping(value = "/api/identities", produces = CsvOutput.TEXT_CSV_VALUE)
    @Operation(hidden = true)
    public void export(@RequestParam(required = false) Set<LifecycleState> state,
                       @RequestParam(required = false) IdentityKind kind,
                       @RequestParam(required = false) String partnership,
                       @RequestParam(required = false) String owner,
                       @RequestParam(required = false) Instant expiringBefore,
                       @RequestParam(required = false) Instant reviewBefore,
                       @RequestParam(required = false) List<String> sort,
                       HttpServletResponse response) throws IOException {
        IdentityFilter filter = new IdentityFilter(state, kind, partnership, owner, expiringBefore, reviewBefore);
        IdentityQuery query = IdentityQuery.of(filter, sort);
        CsvOutput.prepare(response, "identities.csv");
        inventory.exportCsv(query, response.getOutputStream());
    }
}
