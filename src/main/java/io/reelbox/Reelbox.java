package io.reelbox;
public class Reelbox { public static void main(String[] a) {} }
