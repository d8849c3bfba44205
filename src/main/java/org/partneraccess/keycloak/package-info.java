/** Keycloak's admin API as the application uses it: users, clients, identity providers, token checks. */
@ApplicationModule(allowedDependencies = {})
package org.partneraccess.keycloak;

import org.springframework.modulith.ApplicationModule;
