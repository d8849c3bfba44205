package org.partneraccess.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** The published API description and the code agree: every endpoint under /api is documented, and nothing else is. */
@PartnerAccessTest
class OpenApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fields of an OpenAPI path item that are operations. */
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");
    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    ItFixtures fixtures;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyApiEndpointIsDocumentedAndEveryDocumentedOperationExists() throws Exception {
        JsonNode document = JSON.readTree(get("/v3/api-docs").body());

        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = document.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            document.get("paths").get(path).fieldNames().forEachRemaining(field -> {
                if (HTTP_METHODS.contains(field)) {
                    documented.add(field.toUpperCase() + " " + path);
                }
            });
        }
        Set<String> mapped = new TreeSet<>();
        mappings.getHandlerMethods().keySet().forEach(info -> info.getPatternValues().stream()
                .filter(pattern -> pattern.startsWith("/api/"))
                .forEach(pattern -> {
                    Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                    assertThat(methods).as("%s names its HTTP methods", pattern).isNotEmpty();
                    methods.forEach(method -> mapped.add(method.name() + " " + pattern));
                }));

        assertThat(mapped).as("handler methods under /api").isNotEmpty().contains("POST /api/partnerships");
        assertThat(documented).as("operations in /v3/api-docs").containsExactlyInAnyOrderElementsOf(mapped);
    }

    @Test
    void theDocumentDeclaresTheStaffBearerTokenForEveryOperation() throws Exception {
        JsonNode document = JSON.readTree(get("/v3/api-docs").body());

        JsonNode scheme = document.at("/components/securitySchemes/" + OperationsConfiguration.STAFF_TOKEN);
        assertThat(scheme.get("type").asText()).isEqualTo("http");
        assertThat(scheme.get("scheme").asText()).isEqualTo("bearer");
        assertThat(document.get("security").get(0).has(OperationsConfiguration.STAFF_TOKEN)).isTrue();
    }

    @Test
    void theDescriptionAndSwaggerUiArePublic() throws Exception {
        assertThat(get("/v3/api-docs").statusCode()).isEqualTo(200);
        HttpResponse<String> ui = get("/swagger-ui/index.html");
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
        // public description, but the API itself still needs a token
        assertThat(get("/api/partnerships").statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fixtures.url(path))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
