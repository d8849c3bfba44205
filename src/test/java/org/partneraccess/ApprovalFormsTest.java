package org.partneraccess;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.partneraccess.human.HumanAccessVariables;
import org.partneraccess.machine.MachineAccessVariables;
import org.partneraccess.partnership.PartnershipVariables;
import org.partneraccess.policy.ShownVariables;
import org.partneraccess.security.FormFields;

/**
 * Every approval and review form shows what is granted, the policy's risk tier and why, and for a person or machine
 * the partnership it joins: each fact bound to a read-only field whose variable a delegate sets as plain text.
 */
class ApprovalFormsTest {

    private static final FormFields FORMS = FormFields.shipped();

    /** Each fact a form shows, and the read-only fields that may show it (a change shows the sets asked for). */
    private static final Map<String, Set<String>> FACTS = new LinkedHashMap<>();

    static {
        FACTS.put("scopes or roles", Set.of(ShownVariables.SHOWN_SCOPES, ShownVariables.SHOWN_ROLES, Variables.CLIENT_SCOPES,
                PartnershipVariables.REQUESTED_SCOPES));
        FACTS.put("environments", Set.of(ShownVariables.SHOWN_ENVIRONMENTS, MachineAccessVariables.ENVIRONMENT,
                PartnershipVariables.REQUESTED_ENVIRONMENTS));
        FACTS.put("data classes", Set.of(ShownVariables.SHOWN_DATA_CLASSES, PartnershipVariables.REQUESTED_DATA_CLASSES));
        FACTS.put("lifespan", Set.of(ShownVariables.SHOWN_LIFESPAN));
        FACTS.put("end date", Set.of(Variables.END_DATE));
        FACTS.put("owners", Set.of(ShownVariables.SHOWN_OWNERS));
        FACTS.put("risk tier", Set.of(Variables.RISK_TIER, ShownVariables.CHANGE_RISK_TIER));
        FACTS.put("why that risk tier", Set.of(ShownVariables.RISK_RULE, ShownVariables.CHANGE_RISK_RULE));
    }

    static List<String> partnershipForms() {
        return List.of("SponsorApprovalForm", "SecurityOfficerApprovalForm", "RecertificationForm",
                "ScopeChangeApprovalForm", "ScopeChangeSecurityOfficerApprovalForm");
    }

    static List<String> identityForms() {
        return List.of("HumanAccessApprovalForm", "HumanAccessSecurityApprovalForm", "ElevationApprovalForm",
                "HumanRecertificationForm", "MachineOwnerApprovalForm", "MachineSecurityOfficerApprovalForm",
                "MachineElevationApprovalForm", "MachineElevationSecurityOfficerApprovalForm",
                "MachineInactivityReviewForm");
    }

    static List<String> allForms() {
        return java.util.stream.Stream.concat(partnershipForms().stream(), identityForms().stream()).toList();
    }

    @ParameterizedTest
    @MethodSource("allForms")
    void showsWhatIsGrantedTheRiskTierAndWhy(String formId) {
        assertThat(FORMS.exists(formId)).as(formId).isTrue();
        Map<String, FormFields.Field> fields = FORMS.of(formId);
        FACTS.forEach((fact, keys) -> assertThat(fields.values())
                .as(formId + " shows the " + fact + " read-only")
                .anySatisfy(field -> {
                    assertThat(keys).contains(field.key());
                    assertThat(field.editable()).isFalse();
                }));
        assertThat(fields).as(formId + ": a text field renders no JSON list; the roles are shown as text")
                .doesNotContainKey(HumanAccessVariables.ROLES);
    }

    @ParameterizedTest
    @MethodSource("identityForms")
    void showsThePartnershipAPersonOrMachineJoins(String formId) {
        assertThat(FORMS.of(formId).get(ShownVariables.SHOWN_PARTNERSHIP)).as(formId)
                .satisfies(field -> assertThat(field.editable()).isFalse());
    }

    @ParameterizedTest
    @MethodSource("partnershipForms")
    void showsThePartnersContact(String formId) {
        assertThat(FORMS.of(formId).get(ShownVariables.SHOWN_CONTACT)).as(formId)
                .satisfies(field -> assertThat(field.editable()).isFalse());
    }
}
