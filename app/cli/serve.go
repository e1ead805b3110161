package cli

import (
	"context"
	"fmt"
	"net"
	"os/signal"
	"syscall"
	"time"

	"canvass/app/web"
)

// runServe serves a survey to respondents' phones and tablets until
// SIGINT or SIGTERM. The respondents' URL is the first line on stdout.
func runServe(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "serve")
	db := fs.String("db", "", "database file")
	surveyID := fs.String("survey", "", "survey id (see canvass list)")
	eventID := fs.String("event", "", "event id to make active")
	addr := fs.String("addr", ":8080", "HOST:PORT to listen on (port 0 picks a free one)")
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	if *surveyID == "" {
		return usagef("--survey is required")
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Survey(ctx, *surveyID, 0); err != nil {
		return badInput(fmt.Errorf("survey %q: %w", *surveyID, err))
	}
	if *eventID != "" {
		if err := st.SetActiveEvent(ctx, *eventID); err != nil {
			return badInput(fmt.Errorf("event %q: %w", *eventID, err))
		}
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	srv, err := web.Start(ctx, web.Config{
		Store:    st,
		SurveyID: *surveyID,
		Addr:     *addr,
		ErrorLog: func(err error) { fmt.Fprintln(env.Stderr, "canvass serve:", err) },
	})
	if err != nil {
		return badInput(err)
	}
	fmt.Fprintln(env.Stdout, srv.URL())
	if qr, err := web.QRText(srv.URL()); err == nil {
		fmt.Fprint(env.Stdout, qr)
	}
	if !srv.Reachable() && !isLoopback(*addr) {
		fmt.Fprintln(env.Stderr, "warning:", web.NoNetwork)
	}
	for _, line := range web.Notice(srv.Survey()) {
		fmt.Fprintln(env.Stderr, "warning:", line)
	}
	fmt.Fprintln(env.Stderr, "serving; press Ctrl+C to stop")
	<-ctx.Done()
	stop()
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Stop(shut); err != nil {
		return fmt.Errorf("stop serving: %w", err)
	}
	fmt.Fprintln(env.Stderr, "stopped; every answer is saved")
	return nil
}

// isLoopback reports whether addr names a loopback host (serving to this
// laptop only, on purpose).
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}
