package org.partneraccess.security;

import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** Groups of the staff realm; the Camunda group ids are the same names. */
public final class StaffGroups {

    public static final String REQUESTERS = "requesters";
    public static final String SPONSORS = "sponsors";
    public static final String SECURITY_OFFICERS = "security-officers";
    public static final String IDENTITY_OWNERS = "identity-owners";
    public static final String PROCESS_OWNERS = "process-owners";
    public static final String AUDITORS = "auditors";
    /** Machines (a SIEM or SOAR) allowed to report incidents and nothing else. */
    public static final String INCIDENT_REPORTERS = "incident-reporters";
    public static final String CAMUNDA_ADMIN = "camunda-admin";

    /** The claim of staff tokens that lists the user's groups. */
    public static final String GROUPS_CLAIM = "groups";
    /** Spring Security authority prefix for a staff group. */
    public static final String AUTHORITY_PREFIX = "GROUP_";

    public static final List<String> APPROVERS = List.of(SPONSORS, SECURITY_OFFICERS, IDENTITY_OWNERS);

    private StaffGroups() {
    }

    public static String authority(String group) {
        return AUTHORITY_PREFIX + group;
    }

    /** The staff groups of an authenticated caller, as the engine names them. */
    public static List<String> groupsOf(Authentication caller) {
        return caller.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith(AUTHORITY_PREFIX))
                .map(authority -> authority.substring(AUTHORITY_PREFIX.length())).toList();
    }
}
