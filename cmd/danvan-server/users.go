package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"danvan/province"
	dsync "danvan/sync"
)

// cmdUsers runs "users add|list|remove|audit": the province dashboard's
// accounts and its audit. Passwords are read from standard input and
// stored as argon2id hashes.
func cmdUsers(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("users: want add, list, remove or audit: %w", errUsage)
	}
	switch args[0] {
	case "add":
		fs, dir := newFlags("users add", stderr)
		communes := fs.String("communes", "", "comma-separated commune codes the user may see (default: the whole province)")
		sensitive := fs.Bool("sensitive", false, "allow the user to see households' ethnicity and religion (each view is audited)")
		rest, err := parse(fs, args[1:])
		if err != nil {
			return err
		}
		if len(rest) != 1 {
			return fmt.Errorf("users add: give one user name: %w", errUsage)
		}
		fmt.Fprintln(stderr, "password (at least 10 characters), then Enter:")
		pw, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("users add: read the password: %w", err)
		}
		pw = strings.TrimRight(pw, "\r\n")
		var codes []string
		for _, c := range strings.Split(*communes, ",") {
			if c = strings.TrimSpace(c); c != "" {
				codes = append(codes, c)
			}
		}
		return withAdmin(*dir, func(a dsync.AdminAPI) error {
			u, err := province.AddUser(ctx, a, rest[0], pw, codes, *sensitive)
			if err != nil {
				return err
			}
			scope := "the whole province"
			if len(u.Communes) > 0 {
				scope = "communes " + strings.Join(u.Communes, ", ")
			}
			fmt.Fprintf(stdout, "user %s added: sees %s; sensitive fields: %v\n", u.Name, scope, u.Sensitive)
			return nil
		})
	case "list":
		fs, dir := newFlags("users list", stderr)
		if _, err := parse(fs, args[1:]); err != nil {
			return err
		}
		return withAdmin(*dir, func(a dsync.AdminAPI) error {
			us, err := province.Users(ctx, a)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tCOMMUNES\tSENSITIVE\tCREATED\tLOCKED UNTIL")
			for _, u := range us {
				c := strings.Join(u.Communes, ",")
				if c == "" {
					c = "*"
				}
				locked := "-"
				if !u.LockedUntil.IsZero() {
					locked = u.LockedUntil.Local().Format("2006-01-02 15:04")
				}
				fmt.Fprintf(tw, "%s\t%s\t%v\t%s\t%s\n", u.Name, c, u.Sensitive, u.Created.Local().Format("2006-01-02 15:04"), locked)
			}
			return tw.Flush()
		})
	case "remove":
		fs, dir := newFlags("users remove", stderr)
		rest, err := parse(fs, args[1:])
		if err != nil {
			return err
		}
		if len(rest) != 1 {
			return fmt.Errorf("users remove: give one user name: %w", errUsage)
		}
		return withAdmin(*dir, func(a dsync.AdminAPI) error {
			if err := province.RemoveUser(ctx, a, rest[0]); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "user %s removed\n", rest[0])
			return nil
		})
	case "audit":
		fs, dir := newFlags("users audit", stderr)
		if _, err := parse(fs, args[1:]); err != nil {
			return err
		}
		return withAdmin(*dir, func(a dsync.AdminAPI) error {
			es, err := province.Audit(ctx, a)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "WHEN\tUSER\tACTION\tCOMMUNE\tVILLAGE\tFROM")
			for _, e := range es {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.When.Local().Format("2006-01-02 15:04:05"), e.User, e.Action, e.Commune, e.Village, e.From)
			}
			return tw.Flush()
		})
	}
	return fmt.Errorf("users %s: unknown; want add, list, remove or audit: %w", args[0], errUsage)
}
