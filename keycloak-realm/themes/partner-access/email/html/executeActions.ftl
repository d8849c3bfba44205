<#import "template.ftl" as layout>
<#import "../text/invitation.ftl" as invitation>
<#assign actions><#if requiredActions??><#list requiredActions as action>${msg("requiredAction.${action}")}<#sep>, </#sep></#list></#if></#assign>
<@layout.emailLayout>
<p>${msg("partnerInvitationIntro", user.firstName!"")}</p>
<p>${msg("partnerInvitationWho", invitation.sponsor(user), invitation.organisation(user), realmName)}</p>
<#if invitation.purpose(user)?has_content><p>${msg("partnerInvitationWhy", invitation.purpose(user))}</p></#if>
<#if invitation.lastDay(user)?has_content><p>${msg("partnerInvitationUntil", invitation.lastDay(user))}</p></#if>
<p>${msg("partnerInvitationNext", linkExpirationFormatter(linkExpiration), actions)}</p>
<p><a href="${link}">${msg("partnerInvitationLink")}</a></p>
<p>${msg("partnerInvitationIgnore", invitation.sponsor(user))}</p>
</@layout.emailLayout>
