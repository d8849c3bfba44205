package org.partneraccess.forms;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.security.StaffDirectory;
import org.springframework.stereotype.Component;

/** Where the choices a form offers come from: the registry's active partnerships and the staff realm. */
@Component
class FormChoices {

    /** Enough for a picker; a larger staff realm is typed in and checked as before. */
    static final int STAFF_LIMIT = 500;

    /** An active partnership as a request form offers it and what it allows. */
    record PartnershipChoice(String key, String legalName, Set<String> clientScopes, Set<String> environments,
                             Set<String> dataClasses, LocalDate endDate) {
    }

    private final PartnershipService partnerships;
    private final StaffDirectory staff;

    FormChoices(PartnershipService partnerships, StaffDirectory staff) {
        this.partnerships = partnerships;
        this.staff = staff;
    }

    List<PartnershipChoice> activePartnerships() {
        return partnerships.active().stream().map(partnership -> new PartnershipChoice(partnership.getKey(),
                partnership.getLegalName(), partnership.getClientScopes(), partnership.getEnvironments(),
                partnership.getDataClasses(), partnership.getEndDate())).toList();
    }

    /** The members of the group, or every staff user for a null group. */
    List<StaffDirectory.Member> staff(String group) {
        return staff.members(group, STAFF_LIMIT);
    }
}
