#!/usr/bin/env node
import './kefu.ts';
