/** The REST API's shared problem handling: field-level problem details for every /api handler. */
@ApplicationModule(allowedDependencies = {"inventory", "keycloak", "partnership"})
package org.partneraccess.api;

import org.springframework.modulith.ApplicationModule;
