#!/usr/bin/env bash
# sem/demo.sh -- the instructor's tour of sem/ (make -C sem demo): the
# Gazette's two children, ALP's functions and SEM_UNDO, why a semaphore, the
# dining philosophers on one set, then named POSIX semaphores between unrelated
# processes. Leaves nothing behind.
source ../mk/demo.bash

demo_title "semaphore: two children share standard input under a lock (LG)"
printf '%s\n' "one" "two" "7" "four" | demo_run semaphore "$BIN/semaphore"
demo_note "with -s each child sleeps 1 s after its turn, as in the lecture: the turns alternate"
printf '%s\n' "one" "two" "three" | demo_run "semaphore -s" "$BIN/semaphore" -s
echo

demo_title "binary_sem: ALP's five functions; SEM_UNDO takes a hand-over's post back (ALP 5.2)"
demo_run binary_sem "$BIN/binary_sem"
echo

demo_title "sem_undo: the holder is killed; SEM_UNDO gives the semaphore back (ALP)"
demo_run sem_undo "$BIN/sem_undo"
demo_note "and without SEM_UNDO (-n):"
demo_run "sem_undo -n" "$BIN/sem_undo" -n
echo

demo_title "sem_counter: four processes add to one counter (ALP 5.2)"
demo_run sem_counter "$BIN/sem_counter" -n 20000
demo_note "the same without the semaphore (-u): count the lost updates"
demo_run "sem_counter -u" "$BIN/sem_counter" -u
demo_note "-y yields between the load and the store: even 1000 increments lose, unless locked"
demo_run "sem_counter -u -y" "$BIN/sem_counter" -u -y -n 1000
demo_run "sem_counter -y" "$BIN/sem_counter" -y -n 1000
echo

demo_title "sem_set: the dining philosophers, both forks taken by one semop (beyond LG; TLPI 47)"
demo_run sem_set "$BIN/sem_set" -p 3 -m 2
demo_note "-n: one fork, then the other: a deadlock, which the parent's semtimedop notices (status 1)"
demo_run "sem_set -n" sh -c '"$0" -n -m 10 || echo "(exit status $?)"' "$BIN/sem_set"
echo

demo_title "posix_sem: a waiter and a poster, unrelated processes"
name=/labdemo-sem-$$
demo_start "posix_sem wait" 'waiting for' "$BIN/posix_sem" -n 2 wait "$name"
demo_run "posix_sem post" "$BIN/posix_sem" post "$name"
demo_run "posix_sem post" "$BIN/posix_sem" post "$name"
demo_stop
