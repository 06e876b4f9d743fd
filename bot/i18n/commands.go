package i18n

// Command is one entry of the command menu registered with setMyCommands.
type Command struct {
	Name   string // without the slash
	DescID string // plain message id of its description
}

// UserCommands is the command menu for everyone, in menu order.
var UserCommands = []Command{
	{"subscribe", "cmdmenu.subscribe"},
	{"list", "cmdmenu.list"},
	{"unsubscribe", "cmdmenu.unsubscribe"},
	{"pause", "cmdmenu.pause"},
	{"resume", "cmdmenu.resume"},
	{"digest", "cmdmenu.digest"}, // issue 10
	{"quiet", "cmdmenu.quiet"},   // issue 10
	{"language", "cmdmenu.language"},
	{"newslang", "cmdmenu.newslang"},
	{"timezone", "cmdmenu.timezone"},
	{"feeds", "cmdmenu.feeds"},
	{"help", "cmdmenu.help"},
	{"start", "cmdmenu.start"},
}

// AdminCommands is added to UserCommands in the bot admins' private chats.
var AdminCommands = []Command{
	{"addfeed", "cmdmenu.addfeed"},
	{"removefeed", "cmdmenu.removefeed"},
	{"pausefeed", "cmdmenu.pausefeed"},
	{"resumefeed", "cmdmenu.resumefeed"},
	{"stats", "cmdmenu.stats"},
}

// MenuEntry is a command with its description in one language, ready for
// setMyCommands (tgbotapi.BotCommand{Command: e.Command, Description: e.Description}).
type MenuEntry struct {
	Command     string
	Description string
}

// Menu returns the command menu in lang; with admin, the admin commands
// follow the user commands.
func (c *Catalog) Menu(lang string, admin bool) []MenuEntry {
	cmds := UserCommands
	if admin {
		cmds = append(append([]Command{}, UserCommands...), AdminCommands...)
	}
	out := make([]MenuEntry, len(cmds))
	for i, cmd := range cmds {
		out[i] = MenuEntry{Command: cmd.Name, Description: c.Plain(lang, cmd.DescID, nil)}
	}
	return out
}
