package org.partneraccess.human;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.KeycloakAdmin;
import org.partneraccess.support.ApplicationProcess;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.PartnerLogin;
import org.partneraccess.support.SponsorApproval;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The invitation is Keycloak's own mail, sent by a retried step of its own after provisioning. With nothing listening
 * where the partner realm sends its mail, a person requested and approved is provisioned all the same; the invitation
 * step fails, is retried by its cycle, and the mail arrives once a mail server listens there.
 */
@PartnerAccessTest
class InvitationWhileMailIsDownIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINK = Pattern.compile("(http://\\S+/login-actions/action-token\\S+)");

    @Autowired
    TaskService tasks;
    @Autowired
    IdentityService identity;
    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;
    @Autowired
    ManagementService management;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    PartnerUsers partnerUsers;
    @Autowired
    ItFixtures fixtures;

    @Test
    void aPersonIsProvisionedWhileMailIsDownAndTheInvitationArrivesOnceItIsBack() throws Exception {
        String key = fixtures.partnership("inv").active();
        String email = "ines." + key + "@partner.example.org";
        int mailPort = ApplicationProcess.freePort();
        Map<String, String> smtp = partnerRealm().toRepresentation().getSmtpServer();
        GreenMail mail = new GreenMail(new ServerSetup(mailPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        try {
            // nothing listens there yet
            sendPartnerRealmMailTo(smtp, mailPort);
            String id = fixtures.requestPerson(key, email);
            SponsorApproval.approve(tasks, identity, id);

            await().atMost(Duration.ofSeconds(90)).until(() -> failedInvitations(id) > 0);
            assertThat(identities.findById(id).orElseThrow().getState()).isEqualTo(LifecycleState.ACTIVE);
            UserRepresentation user = partnerUsers.findUser(email).orElseThrow();
            assertThat(user.isEnabled()).isTrue();
            assertThat(user.getRequiredActions()).containsExactly("TERMS_AND_CONDITIONS", "UPDATE_PASSWORD");
            assertThat(partnerUsers.partnerRolesOfUser(user.getId())).containsExactly("orders.read");
            assertThat(management.createJobQuery().processInstanceId(processOf(id))
                    .activityId(ProcessIds.TASK_SEND_INVITATION).withException().count()).as("waiting to retry").isEqualTo(1);

            mail.start();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> invitations(mail, email) == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> management.createJobQuery().processInstanceId(processOf(id))
                    .activityId(ProcessIds.TASK_SEND_INVITATION).count() == 0);
            assertThat(runtime.createIncidentQuery().processInstanceId(processOf(id)).count()).isZero();
            assertThat(invitations(mail, email)).as("sent once").isEqualTo(1);
            System.out.printf("InvitationWhileMailIsDownIT: %d failed attempt(s) of the invitation before the mail server"
                    + " listened%n", failedInvitations(id));

            // the mail that arrived late still leads the person in
            MimeMessage invitation = Arrays.stream(mail.getReceivedMessages()).filter(m -> to(m, email)).findFirst().orElseThrow();
            Matcher link = LINK.matcher(GreenMailUtil.getBody(invitation).replace("=\r\n", "").replace("=3D", "="));
            assertThat(link.find()).as("Keycloak's action link").isTrue();
            new PartnerLogin(fixtures.keycloakUrl()).acceptInvitation(link.group(1), "Partner-Secret-7");
            assertThat(partnerUsers.findUser(email).orElseThrow().getRequiredActions()).isEmpty();
        } finally {
            partnerRealm().update(withSmtp(smtp));
            mail.stop();
        }
    }

    private long failedInvitations(String id) {
        return history.createHistoricJobLogQuery().processInstanceId(processOfHistory(id))
                .activityIdIn(ProcessIds.TASK_SEND_INVITATION).failureLog().count();
    }

    private static long invitations(GreenMail mail, String email) {
        return Arrays.stream(mail.getReceivedMessages()).filter(message -> to(message, email)).count();
    }

    private static boolean to(MimeMessage message, String email) {
        try {
            return Arrays.stream(message.getAllRecipients()).anyMatch(address -> address.toString().equals(email));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void sendPartnerRealmMailTo(Map<String, String> smtp, int mailPort) {
        Map<String, String> down = new HashMap<>(smtp);
        down.put("port", String.valueOf(mailPort));
        partnerRealm().update(withSmtp(down));
    }

    private static RealmRepresentation withSmtp(Map<String, String> smtp) {
        RealmRepresentation realm = new RealmRepresentation();
        realm.setSmtpServer(smtp);
        return realm;
    }

    /** The partner realm as its administrators change it; Keycloak starts with the application context, so on first use. */
    private static RealmResource partnerRealm() {
        return KeycloakAdmin.realm("partner");
    }

    private String processOf(String id) {
        return runtime.createProcessInstanceQuery().processInstanceBusinessKey(id)
                .processDefinitionKey(ProcessIds.HUMAN_ACCESS_PROCESS).singleResult().getId();
    }

    private String processOfHistory(String id) {
        return history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(id)
                .processDefinitionKey(ProcessIds.HUMAN_ACCESS_PROCESS).singleResult().getId();
    }
}
