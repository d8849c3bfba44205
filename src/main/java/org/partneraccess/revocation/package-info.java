/** Revocation: the incident cut-off and the partnership-wide access actions, and their verification. */
@ApplicationModule(allowedDependencies = {"audit", "inventory", "keycloak", "mail", "partnership",
        "security", "trust"})
package org.partneraccess.revocation;

import org.springframework.modulith.ApplicationModule;
