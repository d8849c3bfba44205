package org.partneraccess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.partneraccess.human.HumanAccessRequest;
import org.partneraccess.partnership.PartnershipRequest;
import org.partneraccess.policy.AccessPolicy;
import org.partneraccess.policy.PolicyDecision;
import org.partneraccess.policy.PolicyInput;
import org.partneraccess.policy.SubjectKind;

/**
 * Properties of request validation, over generated requests: every valid request passes; a valid request with one
 * field corrupted fails naming that field and only it; an end date after the policy's maximum always fails, one
 * within it never does.
 */
class RequestValidationPropertiesTest {

    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();
    private static final List<String> DATA_CLASSES = PolicyInput.DATA_CLASS_ORDER;
    private static final List<String> ENVIRONMENTS = List.of("development", "test", "staging", "production");

    private static ValidatorFactory factory;
    private static Validator validator;
    private static DmnEngine dmn;
    private static DmnDecision policy;

    @BeforeContainer
    static void setUp() throws IOException {
        factory = Validation.buildDefaultValidatorFactory();
        validator = factory.getValidator();
        dmn = DmnEngineConfiguration.createDefaultDmnEngineConfiguration().buildEngine();
        try (InputStream table = RequestValidationPropertiesTest.class.getResourceAsStream(
                "/bpmn/" + AccessPolicy.DECISION_KEY + ".dmn")) {
            policy = dmn.parseDecision(AccessPolicy.DECISION_KEY, table);
        }
    }

    @AfterContainer
    static void tearDown() {
        factory.close();
    }

    // ---- partnerships ----

    @Property
    void everyValidPartnershipRequestPasses(@ForAll("partnershipRequests") Map<String, Object> request) {
        assertThat(violations(request, PartnershipRequest.class)).isEmpty();
    }

    @Property
    void aPartnershipRequestWithOneFieldCorruptedFailsNamingThatField(
            @ForAll("partnershipRequests") Map<String, Object> request,
            @ForAll("partnershipCorruptions") Tuple.Tuple2<String, Object> corruption) {
        Map<String, Object> corrupted = new LinkedHashMap<>(request);
        corrupted.put(corruption.get1(), corruption.get2());
        assertThat(violations(corrupted, PartnershipRequest.class).keySet()).containsExactly(corruption.get1());
    }

    // ---- partner people ----

    @Property
    void everyValidPersonRequestPasses(@ForAll("personRequests") Map<String, Object> request) {
        assertThat(violations(request, HumanAccessRequest.class)).isEmpty();
    }

    @Property
    void aPersonRequestWithOneFieldCorruptedFailsNamingThatField(
            @ForAll("personRequests") Map<String, Object> request,
            @ForAll("personCorruptions") Tuple.Tuple2<String, Object> corruption) {
        Map<String, Object> corrupted = new LinkedHashMap<>(request);
        corrupted.put(corruption.get1(), corruption.get2());
        assertThat(violations(corrupted, HumanAccessRequest.class).keySet()).containsExactly(corruption.get1());
    }

    // ---- end dates against the policy ----

    @Property
    void anEndDateAfterThePolicyMaximumAlwaysFailsAndOneWithinItNever(
            @ForAll("policyInputs") PolicyInput input, @ForAll @IntRange(min = 1, max = 3650) int days) {
        PolicyDecision decision = PolicyDecision.of(dmn.evaluateDecision(policy, input.toVariables())
                .getSingleResult().getEntryMap());
        LocalDate end = LocalDate.now(ZoneOffset.UTC).plusDays(days);
        assertThat(decision.endDateBeyondMaximum(end).isPresent())
                .as("%d days against a maximum of %d (%s)", days, decision.maxAccessDays(), decision.riskTier())
                .isEqualTo(days > decision.maxAccessDays());
    }

    // ---- plain text ----

    @Property
    void textWithAnExpressionMarkerNeverPasses(@ForAll("words") String before, @ForAll("words") String after,
                                               @ForAll("expressionMarkers") String marker) {
        Map<String, Object> request = new LinkedHashMap<>(validPerson());
        request.put("purpose", "Plans shipments from open orders " + before + marker + after + "}");
        assertThat(violations(request, HumanAccessRequest.class)).containsKey("purpose");
    }

    // ---- generators ----

    @Provide
    Arbitrary<Map<String, Object>> partnershipRequests() {
        Arbitrary<String> user = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2).ofMaxLength(20)
                .map(name -> name + ".user");
        String[] fields = {"partnershipKey", "legalName", "sponsor", "businessOwner", "technicalOwner", "purpose",
                "dataClasses", "environments", "clientScopes", "endDate", "contactEmail", "contactFirstName",
                "contactLastName"};
        Arbitrary<String> endDate = Arbitraries.integers().between(1, 3650)
                .map(days -> LocalDate.now().plusDays(days).toString());
        List<Arbitrary<Object>> values = List.of(key().asGeneric(), names(200).asGeneric(), user.asGeneric(),
                user.asGeneric(), user.asGeneric(), text(30, 2000).asGeneric(), subsetOf(DATA_CLASSES).asGeneric(),
                subsetOf(ENVIRONMENTS).asGeneric(), scopes().asGeneric(), endDate.asGeneric(), emails().asGeneric(),
                names(100).asGeneric(), names(100).asGeneric());
        return Combinators.combine(values).as(generated -> {
            Map<String, Object> request = new LinkedHashMap<>();
            for (int i = 0; i < fields.length; i++) {
                request.put(fields[i], generated.get(i));
            }
            return request;
        });
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, Object>> partnershipCorruptions() {
        return Arbitraries.oneOf(
                corrupt("partnershipKey", Arbitraries.of("Acme Logistics", "ab", "acme_logistics", "ACME",
                        "a".repeat(41), "acme'; drop table partnership; --")),
                corrupt("legalName", Arbitraries.of("", "   ", "x".repeat(201), "Acme <b>GmbH</b>", "Acme\r\nBcc: x",
                        "${execution}")),
                corrupt("sponsor", Arbitraries.of("", "s".repeat(101))),
                corrupt("purpose", Arbitraries.oneOf(text(1, 29), Arbitraries.just("x".repeat(2001)),
                        Arbitraries.just("Reads open orders to plan shipments #{1+1} weekly"))),
                corrupt("dataClasses", Arbitraries.of(List.of(), List.of("secret"), List.of("internal", "top"))),
                corrupt("environments", Arbitraries.of(List.of(), List.of("prod"), List.of("moon"))),
                corrupt("clientScopes", Arbitraries.of(List.of(), List.of("orders"), List.of("Orders.Read"),
                        List.of("orders.read; DROP TABLE audit_event"), List.of("${x}.read"))),
                corrupt("endDate", Arbitraries.integers().between(0, 3650)
                        .map(days -> LocalDate.now().minusDays(days).toString())),
                corrupt("contactEmail", Arbitraries.of("not-an-email", "a@", "@b.org", "<script>@x")),
                corrupt("contactFirstName", Arbitraries.of("", "Ada\nBcc: x", "<img src=x>", "n".repeat(101))),
                corrupt("contactLastName", Arbitraries.of("", "#{1}", "Lovelace\u0000")));
    }

    @Provide
    Arbitrary<Map<String, Object>> personRequests() {
        return Combinators.combine(names(100), names(100), emails(), scopes(), text(20, 2000),
                        Arbitraries.integers().between(1, 3650))
                .as((first, last, email, roles, purpose, days) -> {
                    Map<String, Object> request = new LinkedHashMap<>();
                    request.put("firstName", first);
                    request.put("lastName", last);
                    request.put("email", email);
                    request.put("roles", roles);
                    request.put("purpose", purpose);
                    request.put("endDate", LocalDate.now().plusDays(days).toString());
                    return request;
                });
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, Object>> personCorruptions() {
        return Arbitraries.oneOf(
                corrupt("firstName", Arbitraries.of("", " ", "f".repeat(101), "Ada\r\nSubject: x", "<b>Ada</b>",
                        "${x}")),
                corrupt("lastName", Arbitraries.of("", "l".repeat(101), "#{x}", "Love\tlace")),
                corrupt("email", Arbitraries.of("", "nope", "ada@", "a b@c.org")),
                corrupt("roles", Arbitraries.of(List.of(), List.of("admin"), List.of("orders.read\r\n"))),
                corrupt("purpose", Arbitraries.oneOf(text(1, 19), Arbitraries.just("p".repeat(2001)))),
                corrupt("endDate", Arbitraries.integers().between(0, 3650)
                        .map(days -> LocalDate.now().minusDays(days).toString())));
    }

    @Provide
    Arbitrary<PolicyInput> policyInputs() {
        Arbitrary<SubjectKind> subject = Arbitraries.of(SubjectKind.class);
        return Combinators.combine(subject, Arbitraries.of("SERVICE_ACCOUNT", "WORKLOAD", "AI_AGENT"),
                        subsetOf(DATA_CLASSES), Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((kind, machineKind, dataClasses, write, production) -> new PolicyInput(kind,
                        kind == SubjectKind.MACHINE ? machineKind : null, Set.copyOf(dataClasses), write, production));
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.strings().alpha().ofMaxLength(20);
    }

    @Provide
    Arbitrary<String> expressionMarkers() {
        return Arbitraries.of("${", "#{");
    }

    private static Arbitrary<Tuple.Tuple2<String, Object>> corrupt(String field, Arbitrary<?> values) {
        return values.map(value -> Tuple.of(field, value));
    }

    private static Arbitrary<String> key() {
        return Combinators.combine(Arbitraries.chars().range('a', 'z'),
                        Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('-')
                                .ofMinLength(2).ofMaxLength(39))
                .as((first, rest) -> first + rest);
    }

    /** A name as people type it: letters, spaces, apostrophes, dashes and accents. */
    private static Arbitrary<String> names(int max) {
        return Arbitraries.strings().alpha().withChars(' ', '\'', '-', 'é', 'ß', 'Ø').ofMinLength(1).ofMaxLength(max)
                .filter(name -> !name.isBlank());
    }

    /** Free text, several lines allowed, at least {@code min} characters. */
    private static Arbitrary<String> text(int min, int max) {
        return Arbitraries.strings().alpha().numeric().withChars(' ', '.', ',', '\n', '(', ')', '<', '>', '%', '&')
                .ofMinLength(min).ofMaxLength(max).filter(text -> !text.isBlank() && text.strip().length() >= min
                        && text.length() == text.strip().length());
    }

    private static Arbitrary<String> emails() {
        Arbitrary<String> part = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .ofMinLength(1).ofMaxLength(20);
        return Combinators.combine(part, part, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2)
                .ofMaxLength(6)).as((local, domain, tld) -> local + "@" + domain + "." + tld);
    }

    private static Arbitrary<List<String>> scopes() {
        Arbitrary<String> part = Combinators.combine(Arbitraries.chars().range('a', 'z'),
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('-').ofMaxLength(12))
                .as((first, rest) -> first + rest);
        return Combinators.combine(part, part).as((a, b) -> a + "." + b).list().uniqueElements().ofMinSize(1)
                .ofMaxSize(5);
    }

    private static Arbitrary<List<String>> subsetOf(List<String> values) {
        return Arbitraries.of(values).list().uniqueElements().ofMinSize(1).ofMaxSize(values.size());
    }

    private static Map<String, Object> validPerson() {
        return Map.of("firstName", "Ada", "lastName", "Partner", "email", "ada@partner.example.org",
                "roles", List.of("orders.read"), "purpose", "Plans shipments from open orders",
                "endDate", LocalDate.now().plusDays(30).toString());
    }

    private static <T> Map<String, String> violations(Map<String, Object> request, Class<T> type) {
        return InvalidRequestException.violations(validator, JSON.convertValue(request, type));
    }
}
