// Package web serves a survey to respondents' own phones and tablets as
// plain, accessible HTML pages over the event's local network. It holds no
// form rules of its own: every page is built from, and every POST is checked
// and saved through, the form engine (survey/run) and the store.
//
// Only respondent pages exist. Every URL starts with a random token of 128
// bits that is new each time serving starts; a device is known by an
// HttpOnly, SameSite=Strict cookie and can reach only the response it
// started. Every POST carries a CSRF token; bodies, request rates and the
// number of respondents at once are limited; pages are sent with a strict
// Content-Security-Policy and load nothing from outside.
//
// The package never imports Fyne: the command line (`canvass serve`) and the
// GUI switch both drive a Server.
package web
