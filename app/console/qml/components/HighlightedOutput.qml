// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Leadmetrics.Console
import Leadmetrics.Highlight

// An agent output by its format: Preview renders Markdown/HTML, Source shows it with KDE
// syntax highlighting in the current theme. Plain text has only the source view.
ColumnLayout {
    id: root
    property string text: ""
    property string format: "plain"
    property bool showSource: format === "plain" || format === "json"
    readonly property alias highlighting: highlighter.busy

    spacing: 4

    // Agent output is untrusted: a preview never fetches images (no tracking pixels, no requests).
    function withoutRemoteImages(source) {
        return source.replace(/<img\b[^>]*>/gi, "[image]").replace(/!\[([^\]]*)\]\([^)]*\)/g, "[image: $1]")
    }

    SyntaxHighlighter {
        id: highlighter
        text: root.text
        definition: root.format
        dark: Theme.dark
    }

    RowLayout {
        visible: root.format === "markdown" || root.format === "html"
        Layout.fillWidth: true
        TabBar {
            id: tabs
            currentIndex: root.showSource ? 1 : 0
            onCurrentIndexChanged: root.showSource = currentIndex === 1
            TabButton { text: qsTr("Preview"); width: implicitWidth }
            TabButton { text: qsTr("Source"); width: implicitWidth }
        }
        Item { Layout.fillWidth: true }
        Label {
            text: root.format === "markdown" ? qsTr("Markdown") : qsTr("HTML")
            color: Theme.textMuted
            font.pixelSize: Theme.smallFontSize
        }
    }

    Rectangle {
        Layout.fillWidth: true
        implicitHeight: body.implicitHeight + 16
        radius: Theme.radius
        color: root.showSource ? (highlighter.background || Theme.surface) : Theme.surface
        border.color: Theme.border

        TextEdit {
            id: body
            anchors.fill: parent
            anchors.margins: 8
            readOnly: true
            selectByMouse: true
            wrapMode: TextEdit.Wrap
            color: Theme.text
            font.pixelSize: Theme.fontSize
            font.family: root.showSource ? "monospace" : Qt.application.font.family
            textFormat: root.showSource ? TextEdit.RichText
                : root.format === "markdown" ? TextEdit.MarkdownText : TextEdit.RichText
            text: root.showSource ? highlighter.html : root.withoutRemoteImages(root.text)
        }
    }
    Label {
        visible: root.showSource && highlighter.error !== ""
        text: qsTr("Shown without highlighting: %1").arg(highlighter.error)
        color: Theme.textMuted
        font.pixelSize: Theme.smallFontSize
    }
}
