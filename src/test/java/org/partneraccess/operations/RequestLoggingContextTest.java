package org.partneraccess.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.MDC;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RequestLoggingContextTest {

    private final RequestLoggingContext filter = new RequestLoggingContext();

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "/api/partnerships/acme,                                   acme, -",
            "/api/partnerships/acme/suspension,                        acme, -",
            "/api/partnerships/acme/incidents,                         acme, -",
            "/api/identities/8f1c2d3e-0000-4000-8000-000000000001/evidence, -, 8f1c2d3e-0000-4000-8000-000000000001",
            "/api/partnerships,                                        -,    -",
            "/api/audit/verification,                                  -,    -",
            // a value that could forge a log line stays out
            "/api/partnerships/acme%0Afake-entry/suspension,           -,    -",
            "/camunda/app/tasklist/,                                   -,    -"})
    void putsTheKeyOrIdOfTheRequestIntoTheLoggingContextWhileItRuns(String path, String partnershipKey,
                                                                    String identityId) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setRequestURI(path);
        Map<String, String> seen = new HashMap<>();

        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
            seen.put("partnershipKey", MDC.get(RequestLoggingContext.PARTNERSHIP_KEY));
            seen.put("identityId", MDC.get(RequestLoggingContext.IDENTITY_ID));
        });

        assertThat(seen.get("partnershipKey")).isEqualTo(partnershipKey);
        assertThat(seen.get("identityId")).isEqualTo(identityId);
        assertThat(MDC.getCopyOfContextMap()).as("cleared afterwards").isNullOrEmpty();
    }
}
