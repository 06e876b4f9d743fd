package telegramtest

import (
	"net/http"
	"strings"
)

// methodSpec is one implemented Bot API method. fields is copied from the
// Bot API 10.1 documentation ("name*" marks a required one); legacy lists
// parameters that were removed from the documentation but that Telegram
// still honours and the v5 client library still sends.
type methodSpec struct {
	name   string
	fields string
	legacy string
	handle func(s *Server, r *http.Request, p params) (any, *apiError)
}

func (m *methodSpec) known(param string) bool {
	for _, f := range strings.Fields(m.fields + " " + m.legacy) {
		if strings.TrimSuffix(f, "*") == param {
			return true
		}
	}
	return false
}

// methods is keyed by lower-case name: Bot API method names are
// case-insensitive.
var methods = map[string]*methodSpec{}

func init() {
	for _, m := range []*methodSpec{
		{name: "getMe", handle: (*Server).getMe},
		{name: "logOut", handle: returnTrue},
		{name: "close", handle: returnTrue},
		{name: "getUpdates", fields: "offset limit timeout allowed_updates", handle: (*Server).getUpdates},
		{
			name:   "setWebhook",
			fields: "url* certificate ip_address max_connections allowed_updates drop_pending_updates secret_token",
			handle: (*Server).setWebhook,
		},
		{name: "deleteWebhook", fields: "drop_pending_updates", handle: (*Server).deleteWebhook},
		{name: "getWebhookInfo", handle: (*Server).getWebhookInfo},
		{
			name: "sendMessage",
			fields: "business_connection_id chat_id* message_thread_id direct_messages_topic_id text* parse_mode " +
				"entities link_preview_options disable_notification protect_content allow_paid_broadcast " +
				"message_effect_id suggested_post_parameters reply_parameters reply_markup",
			legacy: "disable_web_page_preview reply_to_message_id allow_sending_without_reply",
			handle: (*Server).sendMessage,
		},
		{
			name: "editMessageText",
			fields: "business_connection_id chat_id message_id inline_message_id text parse_mode entities " +
				"link_preview_options rich_message reply_markup",
			legacy: "disable_web_page_preview",
			handle: (*Server).editMessageText,
		},
		{name: "deleteMessage", fields: "chat_id* message_id*", handle: (*Server).deleteMessage},
		{
			name:   "answerCallbackQuery",
			fields: "callback_query_id* text show_alert url cache_time",
			handle: (*Server).answerCallbackQuery,
		},
		{name: "setMyCommands", fields: "commands* scope language_code", handle: (*Server).setMyCommands},
		{name: "getMyCommands", fields: "scope language_code", handle: (*Server).getMyCommands},
		{name: "deleteMyCommands", fields: "scope language_code", handle: (*Server).deleteMyCommands},
		{name: "getChatMember", fields: "chat_id* user_id*", handle: (*Server).getChatMember},
		{name: "getChat", fields: "chat_id*", handle: (*Server).getChat},
	} {
		methods[strings.ToLower(m.name)] = m
	}
}

func returnTrue(*Server, *http.Request, params) (any, *apiError) { return true, nil }

func (s *Server) getMe(*http.Request, params) (any, *apiError) {
	me := struct {
		User
		CanJoinGroups           bool `json:"can_join_groups"`
		CanReadAllGroupMessages bool `json:"can_read_all_group_messages"`
		SupportsInlineQueries   bool `json:"supports_inline_queries"`
	}{User: s.bot, CanJoinGroups: true, CanReadAllGroupMessages: s.opts.GroupPrivacyOff}
	return me, nil
}
