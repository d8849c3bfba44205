package org.partneraccess.forms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.dmn.feel.impl.FeelEngine;
import org.camunda.bpm.dmn.feel.impl.scala.ScalaFeelEngineFactory;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.api.Test;
import org.partneraccess.security.StaffDirectory;

/**
 * The shipped forms with their choices filled in: the expressions are evaluated with a FEEL engine, as form-js
 * evaluates them in the browser when the partnership is chosen.
 */
class GuidedFormsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FeelEngine FEEL = new ScalaFeelEngineFactory().createInstance();
    private static final List<FormChoices.PartnershipChoice> ACTIVE = List.of(
            new FormChoices.PartnershipChoice("acme-logistics", "Acme Logistics", Set.of("orders.read", "invoices.read"),
                    Set.of("test"), Set.of("internal"), LocalDate.of(2027, 3, 15)),
            new FormChoices.PartnershipChoice("beta-retail", "Beta \"Retail\"", Set.of("payments.initiate", "custom.scope"),
                    Set.of("production", "staging"), Set.of("confidential", "public"), LocalDate.of(2028, 1, 31)));

    private final List<String> staffAsked = new ArrayList<>();

    @Test
    void thePersonsStartFormOffersTheActivePartnershipsAndOnlyTheChosenOnesScopesAndEndDate() throws IOException {
        JsonNode form = guided("HumanAccessRequestForm");

        JsonNode partnership = field(form, "partnershipKey");
        assertThat(partnership.path("type").asText()).isEqualTo("select");
        assertThat(options(partnership)).containsExactly(
                Map.entry("acme-logistics", "Acme Logistics (acme-logistics)"), Map.entry("beta-retail", "Beta \"Retail\" (beta-retail)"));

        String roles = field(form, "roles").path("valuesExpression").asText();
        assertThat(field(form, "roles").has("values")).as("static values would win over the expression").isFalse();
        assertThat(evaluate(roles, "acme-logistics")).containsExactly(
                Map.of("label", "invoices.read (read-only)", "value", "invoices.read"),
                Map.of("label", "orders.read (read-only)", "value", "orders.read"));
        assertThat(evaluate(roles, "beta-retail")).containsExactly(
                Map.of("label", "custom.scope", "value", "custom.scope"),
                Map.of("label", "payments.initiate (decision-impacting)", "value", "payments.initiate"));
        assertThat((Object) FEEL.evaluateSimpleExpression(roles.substring(1),
                Variables.createVariables().putValue("partnershipKey", null).asVariableContext())).isNull();

        String text = textWithChoices(form);
        String template = text.substring(text.indexOf("{{") + 2, text.indexOf("}}"));
        assertThat((Object) FEEL.evaluateSimpleExpression(template,
                Variables.createVariables().putValue("partnershipKey", "acme-logistics").asVariableContext()))
                .isEqualTo("2027-03-15");
        assertThat(staffAsked).as("a form without staff fields asks no one").isEmpty();
    }

    @Test
    void theMachineStartFormOffersThePartnershipsEnvironmentsScopesDataClassesAndStaffAsOwners() throws IOException {
        JsonNode form = guided("MachineRegistrationForm");

        assertThat(evaluate(field(form, "environment").path("valuesExpression").asText(), "beta-retail"))
                .extracting(option -> option.get("value")).containsExactly("production", "staging");
        assertThat(evaluate(field(form, "clientScopes").path("valuesExpression").asText(), "acme-logistics"))
                .extracting(option -> option.get("value")).containsExactly("invoices.read", "orders.read");
        assertThat(evaluate(field(form, "dataClasses").path("valuesExpression").asText(), "beta-retail"))
                .extracting(option -> option.get("value")).containsExactly("confidential", "public");
        JsonNode owner = field(form, "owner");
        assertThat(owner.path("type").asText()).isEqualTo("select");
        assertThat(owner.path("searchable").asBoolean()).isTrue();
        assertThat(options(owner)).containsExactly(Map.entry("ian.owner", "Ian Owner (ian.owner)"),
                Map.entry("nobody", "nobody"));
        assertThat(staffAsked).containsExactly((String) null);
    }

    @Test
    void thePartnershipStartFormOffersSponsorsAsSponsorAndStaffAsOwners() throws IOException {
        JsonNode form = guided("PartnershipRequestForm");

        assertThat(options(field(form, "sponsor"))).containsOnlyKeys("ian.owner", "nobody");
        assertThat(field(form, "businessOwner").path("type").asText()).isEqualTo("select");
        assertThat(staffAsked).containsExactly("sponsors", null, null);
        assertThat(field(form, "partnershipKey").path("type").asText()).as("a new key is typed").isEqualTo("textfield");
    }

    @Test
    void aFormThatDeclaresNoChoicesIsServedAsItIs() throws IOException {
        byte[] shipped = shipped("SponsorApprovalForm");
        assertThat(forms().guide(shipped)).isSameAs(shipped);
        byte[] notJson = "<html/>".getBytes();
        assertThat(forms().guide(notJson)).isSameAs(notJson);
    }

    @Test
    void aSourceThatFailsLeavesItsFieldAsShippedForTheServerToCheck() throws IOException {
        GuidedForms failing = new GuidedForms(JSON, () -> ACTIVE, group -> {
            throw new IllegalStateException("staff realm down");
        });
        JsonNode form = JSON.readTree(failing.guide(shipped("MachineRegistrationForm")));

        assertThat(field(form, "owner").path("type").asText()).isEqualTo("textfield");
        assertThat(field(form, "partnershipKey").path("type").asText()).isEqualTo("select");
    }

    private JsonNode guided(String formId) throws IOException {
        return JSON.readTree(forms().guide(shipped(formId)));
    }

    private GuidedForms forms() {
        return new GuidedForms(JSON, () -> ACTIVE, group -> {
            staffAsked.add(group);
            return List.of(new StaffDirectory.Member("ian.owner", "Ian Owner"), new StaffDirectory.Member("nobody", "nobody"));
        });
    }

    private static byte[] shipped(String formId) throws IOException {
        try (InputStream in = GuidedFormsTest.class.getResourceAsStream("/forms/" + formId + ".form")) {
            return in.readAllBytes();
        }
    }

    private static JsonNode field(JsonNode form, String key) {
        for (JsonNode component : form.path("components")) {
            if (key.equals(component.path("key").asText())) {
                return component;
            }
        }
        throw new AssertionError("no field " + key);
    }

    private static String textWithChoices(JsonNode form) {
        for (JsonNode component : form.path("components")) {
            if (component.path("properties").has(GuidedForms.CHOICES) && "text".equals(component.path("type").asText())) {
                assertThat(component.path("text").asText()).doesNotContain(GuidedForms.END_DATE);
                return component.path("text").asText();
            }
        }
        throw new AssertionError("no text with choices");
    }

    private static Map<String, String> options(JsonNode field) {
        Map<String, String> options = new java.util.LinkedHashMap<>();
        field.path("values").forEach(v -> options.put(v.path("value").asText(), v.path("label").asText()));
        return options;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> evaluate(String expression, String partnershipKey) {
        assertThat(expression).startsWith("=");
        Object value = FEEL.evaluateSimpleExpression(expression.substring(1),
                Variables.createVariables().putValue("partnershipKey", partnershipKey).asVariableContext());
        return (List<Map<String, Object>>) value;
    }
}
