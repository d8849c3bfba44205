/** Partner people: request, approval, provisioning, review and revocation of a person's access. */
@ApplicationModule(allowedDependencies = {"audit", "decision", "inventory", "keycloak", "mail", "partnership",
        "policy", "security"})
package org.partneraccess.human;

import org.springframework.modulith.ApplicationModule;
