// Package bot is newsalert's Telegram side: updates and commands in,
// rendered alerts out through the delivery queue.
package bot
