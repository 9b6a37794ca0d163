// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Leadmetrics.Console
import Leadmetrics.Models

// Email and password, then the authenticator code when the account has MFA.
Page {
    id: page
    objectName: "loginPage"
    signal changeServerRequested
    background: Rectangle { color: Theme.background }

    readonly property bool mfaStep: Session.state === Session.MfaRequired
    readonly property bool busy: Session.state === Session.SigningIn

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(420, page.width - 48)
        spacing: Theme.spacing * 1.5

        Label {
            text: page.mfaStep ? qsTr("Two-factor authentication") : qsTr("Sign in")
            font.pixelSize: Theme.titleFontSize
            font.bold: true
            color: Theme.text
        }
        Label {
            Layout.fillWidth: true
            text: qsTr("Server: %1").arg(Session.serverUrl)
            color: Theme.textMuted
            elide: Text.ElideMiddle
            font.pixelSize: Theme.smallFontSize
        }
        TextField {
            id: email
            objectName: "emailField"
            visible: !page.mfaStep
            Layout.fillWidth: true
            placeholderText: qsTr("Email")
            inputMethodHints: Qt.ImhEmailCharactersOnly | Qt.ImhNoAutoUppercase
            focus: !page.mfaStep
            enabled: !page.busy
            Accessible.name: qsTr("Email")
            onAccepted: password.forceActiveFocus()
        }
        TextField {
            id: password
            objectName: "passwordField"
            visible: !page.mfaStep
            Layout.fillWidth: true
            placeholderText: qsTr("Password")
            echoMode: TextInput.Password
            enabled: !page.busy
            Accessible.name: qsTr("Password")
            onAccepted: signIn.clicked()
        }
        TextField {
            id: code
            objectName: "mfaCodeField"
            visible: page.mfaStep
            Layout.fillWidth: true
            placeholderText: qsTr("6-digit code from your authenticator app")
            inputMethodHints: Qt.ImhDigitsOnly
            validator: RegularExpressionValidator { regularExpression: /\d{0,8}/ }
            enabled: !page.busy
            Accessible.name: qsTr("Authentication code")
            onVisibleChanged: if (visible) { text = ""; forceActiveFocus() }
            onAccepted: signIn.clicked()
        }
        Label {
            objectName: "loginError"
            Layout.fillWidth: true
            visible: Session.errorMessage !== ""
            text: Session.errorMessage
            color: Theme.danger
            wrapMode: Text.Wrap
        }
        Button {
            id: signIn
            objectName: "signInButton"
            Layout.fillWidth: true
            highlighted: true
            enabled: !page.busy && (page.mfaStep ? code.text.length >= 6 : email.text !== "" && password.text !== "")
            text: page.busy ? qsTr("Signing in…") : page.mfaStep ? qsTr("Verify") : qsTr("Sign in")
            onClicked: {
                if (!enabled)
                    return
                if (page.mfaStep)
                    Session.verifyMfa(code.text)
                else
                    Session.login(email.text.trim(), password.text)
            }
        }
        Button {
            Layout.fillWidth: true
            flat: true
            text: page.mfaStep ? qsTr("Use another account") : qsTr("Change server")
            onClicked: page.mfaStep ? Session.logout() : page.changeServerRequested()
        }
    }
}
